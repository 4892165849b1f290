using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/EmissionMonitor.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(EmissionMonitor.Benchmarks.DecodeBenchmarks).Assembly).Run(args);
