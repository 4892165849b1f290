using System.Text;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.TestSupport;

/// <summary>Test data makers, after Serilog's <c>Some</c>.</summary>
internal static class Some
{
    public const string RegistryJson = """
        { "enterprises": [ {
            "id": "QH-XN-001", "name": "西宁某热电有限公司", "city": "西宁市", "industry": "thermal-power",
            "permits": { "a21026": 1200.0, "a21002": 1500.0 },
            "outlets": [ {
              "mn": "QHXN0010001", "password": "123456", "kind": "gas", "name": "1号锅炉排口",
              "referenceO2": 6.0, "flowUnit": "m3/s", "activeFrom": "2024-01-01",
              "limits": { "a21026": 35, "a21002": 50, "a34013": 10 } } ] },
          { "id": "QH-XN-002", "name": "西宁某污水处理厂", "city": "西宁市", "industry": "wastewater",
            "permits": { "w01018": 500.0, "w21003": 50.0 },
            "outlets": [ { "mn": "QHXN0020001", "password": "654321", "kind": "water", "name": "总排口",
              "flowUnit": "L/s", "limits": { "w01018": 50, "w21003": 5, "w01001": { "min": 6, "max": 9 } } } ] } ] }
        """;

    public static StationRegistry Registry()
    {
        var (registry, problems) = RegistryLoader.Parse(RegistryJson, "test");
        Assert.Empty(problems);
        return registry!;
    }

    public static Hj212Builder Hourly(string mn = "QHXN0010001", string pw = "123456", DateTime? at = null, int flag = 4) =>
        new Hj212Builder { Qn = "20250701090000001", St = "31", Cn = "2061", Pw = pw, Mn = mn, Flag = flag }
            .DataTime(at ?? new DateTime(2025, 7, 1, 8, 0, 0));

    public static ReceivedFrame Received(Hj212Packet packet, Transport transport = Transport.Tcp, DateTimeOffset? at = null, string? topicMn = null, string? user = null) =>
        new(Encoding.UTF8.GetBytes(packet.ToString()), transport, "127.0.0.1:5000",
            at ?? new DateTimeOffset(2025, 7, 1, 9, 5, 0, TimeSpan.FromHours(8)), topicMn, user);

    public static ReceivedFrame Received(string raw, Transport transport = Transport.Tcp) =>
        new(Encoding.UTF8.GetBytes(raw), transport, "127.0.0.1:5000", new DateTimeOffset(2025, 7, 1, 9, 5, 0, TimeSpan.FromHours(8)));

    /// <summary>
    /// A new folder under the temporary path, named with the test process's id. The process removes
    /// its folders when it ends (its servers are stopped by then); a run cut short leaves them, and
    /// the next test process removes the folders of processes that no longer run.
    /// EM_KEEP_TEST_DIRS=1 keeps them to look at after a failure.
    /// </summary>
    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"em-test-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(dir);
        Made.Add(dir);
        return dir;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Made = RemovedAtExit();

    private static System.Collections.Concurrent.ConcurrentBag<string> RemovedAtExit()
    {
        var made = new System.Collections.Concurrent.ConcurrentBag<string>();
        if (Environment.GetEnvironmentVariable("EM_KEEP_TEST_DIRS") == "1")
        {
            return made;
        }

        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "em-test-*-*"))
        {
            if (int.TryParse(Path.GetFileName(dir).Split('-')[2], out int pid) && !Running(pid))
            {
                Remove(dir);
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in made)
            {
                Remove(dir);
            }
        };
        return made;
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Remove(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Held or half removed: the next test process, or the system's temporary cleaning, takes it.
        }
    }
}
