/*
 * Starts one OpenSearch node (2.x or 3.x) inside this JVM, bound to 127.0.0.1 only, for tests. Started by run.py
 * with the classpath of pom-opensearch.xml; not for production.
 *
 *   java -cp <classpath> OpenSearchMain <basePath> <httpPort> [clusterName [parentPid]]
 *
 * OpenSearch publishes its server and its modules as Maven libraries, but no "runner": a node with modules loaded
 * from the classpath needs Node's protected constructor. It takes the plugin classes in 2.x and PluginInfo
 * descriptors in 3.x, so it is looked up by reflection and one source serves both.
 *
 * With parentPid (> 0) the node shuts down when that process ends, so a test run that dies without stopping the
 * engine leaves no JVM behind.
 */
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.Version;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;

public final class OpenSearchMain {
    // The modules Wagtail's backend needs: HTTP (netty4), the language analyzers, edge_ngram and asciifolding
    // (analysis-common), and the extra field types (mapper-extras). Query DSL, aggregations and highlighting are
    // in the server itself. 3.x renamed the classes (…ModulePlugin); the first name found is taken.
    private static final String[][] MODULES = {
        {"org.opensearch.transport.Netty4ModulePlugin", "org.opensearch.transport.Netty4Plugin"},
        {"org.opensearch.analysis.common.CommonAnalysisModulePlugin", "org.opensearch.analysis.common.CommonAnalysisPlugin"},
        {"org.opensearch.index.mapper.MapperExtrasModulePlugin", "org.opensearch.index.mapper.MapperExtrasPlugin"},
    };

    public static void main(final String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: OpenSearchMain <basePath> <httpPort> [clusterName [parentPid]]");
            System.exit(2);
        }
        final Path home = Paths.get(args[0]).toAbsolutePath();
        final int httpPort = Integer.parseInt(args[1]);
        final String clusterName = args.length > 2 ? args[2] : "search-engine-test";
        final long parentPid = args.length > 3 ? Long.parseLong(args[3]) : 0L;

        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("modules"));
        final Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", clusterName)
            .put("node.name", "engine-0")
            .put("network.host", "127.0.0.1")
            .put("http.port", String.valueOf(httpPort))
            .put("transport.port", "9300-9400")
            .put("discovery.type", "single-node")
            // A nearly full disk must not turn test indices read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", "false")
            .put("action.destructive_requires_name", "false")
            .build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        final Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> "engine-0");

        final List<Class<? extends Plugin>> plugins = new ArrayList<>();
        for (final String[] names : MODULES) {
            plugins.add(loadFirst(names));
        }
        final Node node = newNode(environment, plugins);
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (final Exception e) {
                // exiting anyway
            }
            closed.countDown();
        }, "engine-shutdown"));
        node.start();

        if (parentPid > 0) {
            final java.util.Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            if (parent.isEmpty()) {
                System.exit(0);
            }
            parent.get().onExit().thenRun(() -> System.exit(0)); // runs the shutdown hook
        }
        closed.await();
    }

    private static Class<? extends Plugin> loadFirst(final String[] names) throws ClassNotFoundException {
        for (final String name : names) {
            try {
                return Class.forName(name).asSubclass(Plugin.class);
            } catch (final ClassNotFoundException e) {
                // the other release's name
            }
        }
        throw new ClassNotFoundException(String.join(" or ", names) + " (a module missing from the classpath)");
    }

    /** Node(Environment, Collection<Class<? extends Plugin>>, boolean) in 2.x, Collection<PluginInfo> in 3.x. */
    private static Node newNode(final Environment environment, final List<Class<? extends Plugin>> plugins)
        throws Exception {
        for (final Constructor<?> constructor : Node.class.getDeclaredConstructors()) {
            final Type[] types = constructor.getGenericParameterTypes();
            if (types.length != 3 || types[0] != Environment.class || types[2] != boolean.class) {
                continue;
            }
            final Type element = ((ParameterizedType) types[1]).getActualTypeArguments()[0];
            final Collection<Object> classpathPlugins = new ArrayList<>();
            for (final Class<? extends Plugin> plugin : plugins) {
                if (element == PluginInfo.class) {
                    classpathPlugins.add(new PluginInfo(plugin.getName(), "classpath module", "NA", Version.CURRENT,
                        "11", plugin.getName(), Collections.emptyList(), false));
                } else {
                    classpathPlugins.add(plugin);
                }
            }
            constructor.setAccessible(true);
            return (Node) constructor.newInstance(environment, classpathPlugins, true);
        }
        throw new IllegalStateException("no Node(Environment, Collection, boolean) constructor in this OpenSearch");
    }
}
