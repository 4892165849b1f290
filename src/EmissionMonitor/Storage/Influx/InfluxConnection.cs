using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// Talks to InfluxDB: writes line protocol with the v2 write API (InfluxDB.Client; 2.x, 3.x, 1.8+) or
/// POST /write?db= (<c>Influx:WriteApi=v1</c>, 1.x before 1.8), and queries with InfluxQL over
/// /query (InfluxDB.Client 5.1 has no InfluxQL API). Failures throw; retries are the caller's
/// Polly pipeline's job.
/// </summary>
public sealed class InfluxConnection : IDisposable
{
    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly InfluxDBClient? _client;

    private readonly TimeProvider _clock;

    /// <param name="options">The server and its limits.</param>
    /// <param name="clock">What the start-up retries wait on (the system clock by default).</param>
    public InfluxConnection(InfluxOptions options, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options;
        _http = new HttpClient { BaseAddress = new Uri(options.Url.TrimEnd('/') + "/"), Timeout = options.Timeout };
        if (options.Token is { Length: > 0 } token && !token.Contains(':', StringComparison.Ordinal))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
        }

        if (options.WriteApi == "v2")
        {
            if (string.IsNullOrEmpty(options.Token))
            {
                throw new ConfigurationException("Influx:Token is required with Influx:WriteApi=v2 (any non-empty value for an InfluxDB 1.8 server without authentication)");
            }

            _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url) { Token = options.Token, Org = options.Org, Bucket = options.Bucket, Timeout = options.Timeout });
        }
    }

    /// <summary>Writes points (line protocol, nanosecond timestamps).</summary>
    public async Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return;
        }

        if (_client is not null)
        {
            await _client.GetWriteApiAsync().WriteRecordsAsync(lines.ToList(), WritePrecision.Ns, _options.Bucket, _options.Org, cancellationToken);
            return;
        }

        using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync($"write?db={Uri.EscapeDataString(_options.Bucket)}&precision=ns{Credentials()}", content, cancellationToken);
        await EnsureAsync(response, "write", cancellationToken);
    }

    /// <summary>Runs an InfluxQL query; the JSON result (series with columns and values, times in ns).</summary>
    public async Task<JsonDocument> QueryAsync(string influxQl, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"query?db={Uri.EscapeDataString(_options.Bucket)}&epoch=ns&q={Uri.EscapeDataString(influxQl)}{Credentials()}", cancellationToken);
        await EnsureAsync(response, "query", cancellationToken);
        var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        foreach (var result in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                string message = $"InfluxQL error: {error.GetString()} in {influxQl}"; // read before the document is released
                doc.Dispose();
                throw new InfluxException(message);
            }
        }

        return doc;
    }

    /// <summary>Runs InfluxQL statements that change data (DELETE): POST, as 1.x requires for anything but SELECT and SHOW.</summary>
    public async Task ExecuteAsync(string influxQl, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("q", influxQl)]);
        using var response = await _http.PostAsync($"query?db={Uri.EscapeDataString(_options.Bucket)}{Credentials()}", content, cancellationToken);
        await EnsureAsync(response, "query", cancellationToken);
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        foreach (var result in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxException($"InfluxQL error: {error.GetString()} in {influxQl}");
            }
        }
    }

    /// <summary>
    /// Creates the database on 1.x (a no-op where it exists; 2.x buckets are provisioned outside the
    /// service and answer 404/401 here, which is ignored). Tried three times: it runs at start-up,
    /// where a first connection may meet a server that is still coming up.
    /// </summary>
    public async Task EnsureDatabaseAsync(CancellationToken cancellationToken) =>
        await Resilience.Retries.AtStartUp<HttpRequestException>(_clock).ExecuteAsync(async ct =>
        {
            using var content = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{_options.Bucket}\"")]);
            using var response = await _http.PostAsync("query" + (Credentials() is { Length: > 0 } c ? "?" + c[1..] : string.Empty), content, ct);
        }, cancellationToken);

    /// <summary>True when the server answers /ping.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("ping", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _http.Dispose();
    }

    private string Credentials() =>
        _options.Token is { } token && token.Split(':', 2) is [var user, var password]
            ? $"&u={Uri.EscapeDataString(user)}&p={Uri.EscapeDataString(password)}"
            : string.Empty;

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InfluxException($"InfluxDB {what} failed: {(int)response.StatusCode} {body.Trim()}");
        }
    }
}

/// <summary>InfluxDB answered with an error.</summary>
public sealed class InfluxException(string message) : Exception(message);
