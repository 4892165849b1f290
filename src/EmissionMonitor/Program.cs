using EmissionMonitor.Cli;

return await CliApp.RunAsync(args);
