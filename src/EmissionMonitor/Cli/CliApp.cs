namespace EmissionMonitor.Cli;

/// <summary>
/// The <c>EmissionMonitor</c> command line. Exit codes: 0 success, 1 runtime failure, 2 usage error
/// (the message names the option).
/// </summary>
public static class CliApp
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: EmissionMonitor <command> [options]

        Commands:
          run [--demo]            the service: embedded MQTT broker (1883), HJ 212 TCP gateway (9212),
                                  HTTP health endpoints (127.0.0.1:5080), SQLite under data/
          decode [FILE|-]         HJ 212 frames to JSON lines (gzip detected); summary on stderr
                                  --accept-modbus-crc   accept byte-swapped CRC-16/MODBUS frames
                                  --key KEY | --config DIR [--data DIR]   SM4 keys (HJ 212-2025)
          import FILE...          archived frames (.gz allowed) through intake and journal into
                                  the store; prints accepted, duplicates, rejected by reason

          simulate                a fleet of terminals: --target mqtt://host:port|tcp://host:port,
                                  --outlets N, --rate FRAMES_PER_S, --duration 60s, --bad-share,
                                  --exceed-share, --gap-share, --flag-share, --backfill-hours,
                                  --registry FILE (its MNs and passwords), --version 2017|2025,
                                  --encrypt (2025: SM4 with each outlet's sm4Key)

          report rates|exceedances|totals|cards|hours|anomalies|trend
                                  --quarter 2025Q3 | --from/--to (local, to exclusive); filters
                                  --city --enterprise --mn --pollutant; --by pollutant|outlet|
                                  enterprise|city|province; --format table|json|csv|xlsx;
                                  --lang zh|en (table and xlsx: headers, names, units and words;
                                  default from LANG); --out FILE (xlsx needs it on a terminal);
                                  csv and json keep the machine columns for scripts
          report document daily|monthly|quarterly|annual --out FILE.xlsx
                                  the documents a bureau files (小时均值日报, 日均值月报,
                                  月均值季报/年报, with 排放量 and 有效传输率 sheets), a sheet per
                                  outlet: --date D | --month YYYY-MM | --quarter Q | --year Y;
                                  --city --enterprise --mn; --lang zh|en
          report document execution --enterprise E --month M|--quarter Q|--half 2025H1|--year Y --out FILE.xlsx
                                  the permit execution report's tables (实际排放量报表, 超标时段,
                                  自动监测数据缺失与异常, 有效传输率), one workbook; each generation recorded
          report barometer --year Y
                                  the city target barometer (Compliance:CityTargets) of a year
          report alert-handling   how alerts raised in the period were handled (响应率, 核实率, 处置率):
                                  --from --to | --quarter; --by province|city|enterprise; --enterprise
          report outages          the outages begun in the period with their report and restore clocks:
                                  --from --to | --quarter; --enterprise
          report manual           the manual monitoring samples taken in the period (手工监测数据), each
                                  with its state and the hours it stands for: --from --to | --quarter;
                                  --enterprise --mn --pollutant; --state pending|approved|rejected|
                                  withdrawn|revoked
          report tax              the environmental-tax pre-check of a month (环保税预核算): --month
                                  YYYY-MM (the previous month by default); --by outlet|enterprise|
                                  city|province; --city --enterprise --mn --pollutant; rates from Tax:*
          report deadlines        the execution reports due (Permits:ReportKinds), generated or not:
                                  --year Y | --from D --to D; --enterprise; --state generated|upcoming|overdue
          report facilities       each facility's running/stopped/unknown episodes from its power values
                                  (HJ 212-2025 ST=44): --from --to | --quarter; --enterprise
          report findings         treatment off while production runs, production in a claimed shutdown:
                                  --from --to | --quarter; --enterprise

          generate --out FILE     a reproducible data set: --outlets N (500), --days D (92), --from
                                  YYYY-MM-DD, --realtime K (per outlet and hour), --exceed-share,
                                  --gap-share, --flag-share, --seed; writes the registry beside FILE
                                  (or --registry-out FILE)

          broker-auth --out DIR --service-password P [--operator-user U --operator-password P]
                                  mosquitto password and ACL files from the registry

        Common options:
          --config DIR            configuration folder (default config/)
          --data DIR              data folder (default data/)
        """;

    /// <summary>
    /// One command's part of <see cref="Usage"/> (<c>report --help</c>), with the common options; null
    /// for an unknown command.
    /// </summary>
    public static string? HelpOf(string command)
    {
        var lines = Usage.Split('\n');
        var block = new List<string>();
        bool inside = false;
        foreach (string line in lines)
        {
            bool starts = line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal);
            if (starts)
            {
                inside = line.TrimStart().StartsWith(command + " ", StringComparison.Ordinal) || line.Trim() == command;
            }
            else if (line.Trim().Length == 0 || !line.StartsWith("    ", StringComparison.Ordinal))
            {
                inside = false;
            }

            if (inside)
            {
                block.Add(line);
            }
        }

        if (block.Count == 0)
        {
            return null;
        }

        int common = Array.FindIndex(lines, l => l.StartsWith("Common options:", StringComparison.Ordinal));
        return $"Usage: EmissionMonitor {command} [options]\n\n{string.Join('\n', block)}\n\n{string.Join('\n', lines.Skip(common))}";
    }

    /// <summary>Runs the command line and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        try
        {
            return await DispatchAsync(args, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 1;
        }
        catch (Exception e)
        {
            var (code, message) = Failure(e);
            await Console.Error.WriteAsync(message);
            return code;
        }
    }

    /// <summary>Help, or the command the first argument names with the rest.</summary>
    private static async Task<int> DispatchAsync(string[] args, CancellationToken ct)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args.Skip(1).ToList();
        if (rest.Any(a => a is "-h" or "--help") && HelpOf(args[0]) is { } help)
        {
            Console.WriteLine(help);
            return 0;
        }

        return args[0] switch
        {
            "decode" => await DecodeCommand.RunAsync(rest, ct),
            "import" => await ImportCommand.RunAsync(rest, ct),
            "run" => await RunCommand.RunAsync(rest, ct),
            "simulate" => await SimulateCommand.RunAsync(rest, ct),
            "report" => await ReportCommand.RunAsync(rest, ct),
            "broker-auth" => await BrokerAuthCommand.RunAsync(rest, ct),
            "generate" => await GenerateCommand.RunAsync(rest, ct),
            _ => throw new UsageException($"unknown command '{args[0]}'"),
        };
    }

    /// <summary>The exit code and standard-error text of a command's failure: 2 for a usage error, 1 for the rest (a defect says so with its trace).</summary>
    private static (int Code, string Message) Failure(Exception e) => e switch
    {
        UsageException => (2, $"error: {e.Message}\nRun 'EmissionMonitor --help' for usage.\n"),
        ConfigurationException => (1, $"configuration error: {e.Message}\n"),
        Storage.StoreUnavailableException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException => (1, $"error: {e.Message}\n"),
        _ => (1, $"fatal: {e}\n"), // a defect: said so, exit 1 (not the runtime's abort), so scripts and supervisors see a failure
    };
}
