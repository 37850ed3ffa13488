// The agent tests start real processes on a 2-core machine and measure latency: one test at a time.
[assembly: DoNotParallelize]
