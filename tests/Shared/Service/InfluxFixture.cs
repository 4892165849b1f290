using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EmissionMonitor.TestSupport;

/// <summary>
/// A real influxd (Debian's influxdb 1.6.7, installed by tests/run-all.sh) on free loopback ports in a
/// temporary folder, and a small reverse proxy that serves the v2 write path on top of it:
/// <c>/api/v2/write?bucket=B&amp;precision=P</c> → <c>/write?db=B&amp;precision=P</c> (us → u), with
/// /query and /ping passed through. It can be stopped and started again on the same data.
/// </summary>
public sealed class InfluxFixture : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _config;
    private Process? _influxd;
    private WebApplication? _proxy;

    private InfluxFixture(string dir, string config, int port)
    {
        _dir = dir;
        _config = config;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The v2-path proxy's base address (after <see cref="StartProxyAsync"/>).</summary>
    public string ProxyUrl { get; private set; } = string.Empty;

    public static async Task<InfluxFixture> StartAsync()
    {
        string dir = Some.TempDirectory();
        int port = LoopbackPorts.Free(), rpc = LoopbackPorts.Free();
        string config = Path.Combine(dir, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpc}"
            [meta]
              dir = "{dir}/meta"
            [data]
              dir = "{dir}/data"
              wal-dir = "{dir}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            """);
        var fixture = new InfluxFixture(dir, config, port);
        await fixture.StartServerAsync();
        return fixture;
    }

    public async Task StartServerAsync()
    {
        var psi = new ProcessStartInfo("influxd") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-config");
        psi.ArgumentList.Add(_config);
        _influxd = Process.Start(psi)!;
        _influxd.BeginOutputReadLine();
        _influxd.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(_influxd.HasExited, "influxd exited at start-up");
            try
            {
                if ((await http.GetAsync($"{Url}/ping")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "influxd did not answer /ping");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops influxd (an outage); the data folder stays for the restart.</summary>
    public void StopServer()
    {
        if (_influxd is { HasExited: false })
        {
            _influxd.Kill();
            _influxd.WaitForExit();
        }
    }

    public async Task StartProxyAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMilliseconds(500) }) { BaseAddress = new Uri(Url) };
        app.Map("/api/v2/write", async (HttpContext http) =>
        {
            string bucket = http.Request.Query["bucket"].ToString();
            string precision = http.Request.Query["precision"].ToString() switch { "us" => "u", var p => p };
            await ForwardAsync(http, upstream, $"/write?db={Uri.EscapeDataString(bucket)}&precision={precision}", "POST");
        });
        app.Map("/{**path}", (HttpContext http, string? path) => ForwardAsync(http, upstream, "/" + path + http.Request.QueryString, http.Request.Method));
        await app.StartAsync();
        _proxy = app;
        ProxyUrl = app.Urls.First();
    }

    /// <summary>Forwards one request with its body buffered, trying once more if a pooled connection to influxd was stale.</summary>
    private static async Task ForwardAsync(HttpContext http, HttpClient upstream, string target, string method)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            if (buffer.Length > 0 || method == "POST")
            {
                request.Content = new ByteArrayContent(buffer.ToArray());
                if (http.Request.ContentType is { } type)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }

            try
            {
                using var response = await upstream.SendAsync(request);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                http.Response.StatusCode = (int)response.StatusCode;
                if (response.Content.Headers.ContentType is { } contentType)
                {
                    http.Response.ContentType = contentType.ToString();
                }

                await http.Response.Body.WriteAsync(bytes);
                return;
            }
            catch (HttpRequestException) when (attempt < 2)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        StopServer();
        if (_proxy is not null)
        {
            await _proxy.StopAsync();
            await _proxy.DisposeAsync();
        }

        _influxd?.Dispose();
    }
}
