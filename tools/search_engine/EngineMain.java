/*
 * Starts one Elasticsearch node inside this JVM (via elasticsearch-cluster-runner)
 * bound to 127.0.0.1 only, for tests. Started by run.py; not for production.
 *
 *   java -cp <classpath> EngineMain <basePath> <httpPort> [clusterName [parentPid]]
 *
 * With parentPid (> 0) the node shuts down when that process ends, so a test
 * run that dies without stopping the engine leaves no JVM behind.
 *
 * The runner's own main() caps the HTTP port at 9299 and cannot take node
 * settings, hence this small wrapper.
 */
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

public final class EngineMain {
    public static void main(final String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EngineMain <basePath> <httpPort> [clusterName [parentPid]]");
            System.exit(2);
        }
        final String basePath = args[0];
        final int httpPort = Integer.parseInt(args[1]);
        final String clusterName = args.length > 2 ? args[2] : "search-engine-test";
        final long parentPid = args.length > 3 ? Long.parseLong(args[3]) : 0L;

        final ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.setMaxHttpPort(-1); // take the port we are given, no probing
        runner.onBuild((number, settings) -> {
            settings.put("node.name", "engine-" + number);
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort));
            settings.put("discovery.type", "single-node");
            // A nearly full disk must not turn test indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.destructive_requires_name", "false");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                // exiting anyway
            }
        }, "engine-shutdown"));

        runner.build(ElasticsearchClusterRunner.newConfigs()
                .basePath(basePath)
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .clusterName(clusterName));

        if (parentPid > 0) {
            final java.util.Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            if (parent.isEmpty()) {
                System.exit(0);
            }
            parent.get().onExit().thenRun(() -> System.exit(0)); // runs the shutdown hook
        }

        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
