-- wrk reporter: p50 and p95 latency in milliseconds, on one parseable line.
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES p50=%.2f p95=%.2f\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
