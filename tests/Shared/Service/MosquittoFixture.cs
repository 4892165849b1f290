using System.Diagnostics;

namespace EmissionMonitor.TestSupport;

/// <summary>
/// A real mosquitto (Debian package, installed by tests/run-all.sh) on a free loopback port, in a
/// temporary folder, with a password file: the service's login and each terminal's MN/password.
/// Settings from DESIGN.md's measured facts: TCP_NODELAY, no in-flight cap, a large queue.
/// </summary>
internal sealed class MosquittoFixture : IDisposable
{
    private Process _process;
    private readonly string _conf;

    private MosquittoFixture(Process process, int port, string conf)
    {
        _process = process;
        Port = port;
        _conf = conf;
    }

    public int Port { get; }

    /// <summary>Starts mosquitto; with <paramref name="tls"/> (CA, certificate and key files) its listener speaks TLS.</summary>
    public static async Task<MosquittoFixture> StartAsync(IReadOnlyDictionary<string, string> users, int? port = null, (string Ca, string Cert, string Key)? tls = null, string? passwordFile = null, string? aclFile = null)
    {
        string dir = Some.TempDirectory();
        string passwords = passwordFile ?? Path.Combine(dir, "passwd");
        foreach (var (user, password) in users)
        {
            Run("mosquitto_passwd", File.Exists(passwords) ? ["-b", passwords, user, password] : ["-b", "-c", passwords, user, password]);
        }

        int p = port ?? LoopbackPorts.Free();
        string conf = Path.Combine(dir, "mosquitto.conf");
        // Started as root, mosquitto drops to the user "mosquitto", which cannot write its persistent
        // sessions into a root-owned temporary folder; "user root" keeps it able to save them.
        await File.WriteAllTextAsync(conf, $"""
            listener {p} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            set_tcp_nodelay true
            max_inflight_messages 0
            max_queued_messages 1000000
            {(aclFile is null ? string.Empty : "acl_file " + aclFile)}
            persistence true
            persistence_location {dir}/
            {(Environment.UserName == "root" ? "user root" : string.Empty)}
            {(tls is { } t ? $"cafile {t.Ca}\ncertfile {t.Cert}\nkeyfile {t.Key}" : string.Empty)}
            """);
        var process = await LaunchAsync(conf, p);
        return new MosquittoFixture(process, p, conf);
    }

    /// <summary>
    /// Stops mosquitto with SIGTERM (it saves its persistent sessions) and starts it again on the same
    /// port; <paramref name="whileDown"/> runs in between.
    /// </summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        if (whileDown is not null)
        {
            await whileDown();
        }

        _process = await LaunchAsync(_conf, Port);
    }

    private static async Task<Process> LaunchAsync(string conf, int port)
    {
        var psi = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(conf);
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await LoopbackPorts.WaitForListenerAsync(process, port, "mosquitto", TimeSpan.FromSeconds(10));
        return process;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {p.StandardError.ReadToEnd()}");
    }
}
