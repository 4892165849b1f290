namespace EmissionMonitor.IntegrationTests.Gate;

/// <summary>
/// The calls of the allocation gate: every GET route the service maps, with the queries the
/// dashboard and the README name (periods of the generated quarter, each file format), and the most
/// each may allocate. Pages, lists and aggregates of a few hundred rows have <see cref="Page"/>; the
/// reports over every outlet and the downloads have budgets set from their measured figures with half
/// again as room (docs/benchmarks.md, "Allocation gate"): a page that starts reading a table whole, a
/// report that reads twice what it did, fails.
/// </summary>
internal static class GateCalls
{
    public const string Operator = "gate-operator-token";
    public const string Enterprise = "gate-enterprise-token";

    /// <summary>What another year's quarter in the store may add to a call beyond a quarter: the service's background work meanwhile.</summary>
    public const long Noise = 2 << 20;

    private const string Mn = "GEN00000002";
    private const string Quarter = "quarter=2025Q3";

    /// <summary>A page of JSON, a small list or file, an aggregate of a few hundred rows.</summary>
    private const int Page = 16;

    /// <summary>One call: the route it exercises, its URL, and the most it may allocate (MiB).</summary>
    public sealed record Call(string Pattern, string Url, int BudgetMb, bool ReadsStore = true)
    {
        public long Budget => (long)BudgetMb << 20;
    }

    /// <summary>Routes called without a gate entry on purpose, and why.</summary>
    public static readonly Dictionary<string, string> Exempt = new(StringComparer.Ordinal)
    {
        ["/api/alerts/stream"] = "a live event stream: it never ends, its memory is bounded by Api:StreamQueue per stream (HostileUserTests)",
    };

    public static IReadOnlyList<Call> All { get; } = Build();

    public static bool Covers(string pattern) => Exempt.ContainsKey(pattern) || All.Any(c => c.Pattern == pattern);

    private static List<Call> Build()
    {
        var calls = new List<Call>();
        void Add(string pattern, string url, int budgetMb = Page) => calls.Add(new Call(pattern, url, budgetMb));
        void Files(string pattern, string url, int csvMb = Page, int xlsxMb = Page)
        {
            string join = url.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            Add(pattern, url + join + "format=csv", csvMb);
            Add(pattern, url + join + "format=xlsx&lang=zh", xlsxMb);
        }

        // The reports of the whole quarter over every outlet (one outlet's hours). Totals, cards and the tax
        // fill gaps hour by hour over their windows (cards: seven quarters, their years to date): the
        // substitution's buffers are per outlet and pollutant, the hours pass through them.
        Add("/api/rates", $"/api/rates?{Quarter}");
        Files("/api/rates", $"/api/rates?{Quarter}");
        Add("/api/rates", $"/api/rates?{Quarter}&by=city");
        Add("/api/exceedances", $"/api/exceedances?{Quarter}");
        Files("/api/exceedances", $"/api/exceedances?{Quarter}", csvMb: 400, xlsxMb: 200);
        Add("/api/exceedances", $"/api/exceedances?{Quarter}&mn={Mn}");
        Add("/api/totals", $"/api/totals?{Quarter}", 220);
        Files("/api/totals", $"/api/totals?{Quarter}", 220, 220);
        Add("/api/cards", $"/api/cards?{Quarter}", 680);
        Files("/api/cards", $"/api/cards?{Quarter}", 680, 680);
        Add("/api/hours", $"/api/hours?{Quarter}&mn={Mn}", 32);
        Files("/api/hours", $"/api/hours?{Quarter}&mn={Mn}", 40, 32);
        Add("/api/anomalies", $"/api/anomalies?{Quarter}");
        Files("/api/anomalies", $"/api/anomalies?{Quarter}");
        Add("/api/trend", $"/api/trend?{Quarter}");
        Files("/api/trend", $"/api/trend?{Quarter}");
        Add("/api/means", $"/api/means?{Quarter}");
        Files("/api/means", $"/api/means?{Quarter}", csvMb: 330, xlsxMb: 230);
        Add("/api/barometer", "/api/barometer?year=2025");
        Files("/api/barometer", "/api/barometer?year=2025");
        Add("/api/tax", "/api/tax?month=2025-08", 110);
        Add("/api/tax", "/api/tax?month=2025-08&by=city", 110);
        Files("/api/tax", "/api/tax?month=2025-08", 110, 110);
        Add("/api/tax/rates", "/api/tax/rates");
        Add("/api/facilities/episodes", $"/api/facilities/episodes?{Quarter}");
        Add("/api/facilities/findings", $"/api/facilities/findings?{Quarter}");

        // The desk's lists, records by id (absent ones: the lookup must not read the kind whole to say 404).
        // The alerts are the desk's in memory, not the store's, and change while the gate runs (the
        // service raises its own): held to their budgets only.
        foreach (var url in new[] { "/api/alerts", "/api/alerts?format=csv", "/api/alerts?format=xlsx&lang=zh" })
        {
            calls.Add(new Call("/api/alerts", url, Page, ReadsStore: false));
        }

        calls.Add(new Call("/api/alerts/counts", "/api/alerts/counts", Page, ReadsStore: false));
        Add("/api/alerts/handling", $"/api/alerts/handling?{Quarter}");
        Add("/api/alerts/{id}", "/api/alerts/none");
        Add("/api/marks", "/api/marks?from=2025-07-01&to=2025-10-01");
        Files("/api/marks", "/api/marks");
        Add("/api/marks/{id}", "/api/marks/none");
        Add("/api/marks/{id}/evidence/{file}", "/api/marks/none/evidence/none.pdf");
        Add("/api/orders", "/api/orders");
        Files("/api/orders", "/api/orders");
        Add("/api/orders/{id}", "/api/orders/none");
        Add("/api/orders/{id}/evidence/{file}", "/api/orders/none/evidence/none.pdf");
        Add("/api/manual-data", $"/api/manual-data?{Quarter}");
        Add("/api/manual-data/{id}", "/api/manual-data/none");
        Add("/api/manual-data/{id}/evidence/{file}", "/api/manual-data/none/evidence/none.pdf");
        Add("/api/notifications", "/api/notifications");
        Add("/api/permits/deadlines", "/api/permits/deadlines?year=2025");
        Files("/api/permits/deadlines", "/api/permits/deadlines?year=2025");
        Add("/api/publications", "/api/publications");
        Add("/api/public/about", "/api/public/about");
        Add("/api/public/publications", "/api/public/publications");
        Add("/api/public/publications/{id}", "/api/public/publications/none");
        Add("/api/session", "/api/session");
        Add("/api/codes", "/api/codes");
        Add("/api/checks", "/api/checks");
        Files("/api/checks", "/api/checks");
        Add("/api/stations", "/api/stations");

        // One outlet's data query: a quarter of hourly records, a quarter of daily ones (none generated).
        Add("/api/outlets/{mn}/readings", $"/api/outlets/{Mn}/readings?cn=2061&from=2025-07-01&to=2025-10-01");
        Add("/api/outlets/{mn}/readings", $"/api/outlets/{Mn}/readings?cn=2031&from=2025-07-01&to=2025-10-01");
        Files("/api/outlets/{mn}/readings", $"/api/outlets/{Mn}/readings?cn=2061&from=2025-07-01&to=2025-10-01", 40, 24);
        Add("/api/outlets/{mn}/commands", $"/api/outlets/{Mn}/commands");
        Add("/api/commands/catalogue", "/api/commands/catalogue");
        Add("/api/commands/{id}", "/api/commands/none");

        // The bureau's documents (every outlet, with the year to date) and one enterprise's execution report.
        Add("/api/documents/{kind}", "/api/documents/daily?date=2025-08-01", 290);
        Add("/api/documents/{kind}", "/api/documents/monthly?month=2025-08", 450);
        Add("/api/documents/{kind}", $"/api/documents/quarterly?{Quarter}", 700);
        Add("/api/documents/{kind}", "/api/documents/annual?year=2025", 960);
        Add("/api/documents/{kind}", $"/api/documents/execution?enterprise=GEN-000001&{Quarter}", 96);

        Add("/healthz", "/healthz");
        Add("/readyz", "/readyz");
        Add("/metrics", "/metrics");
        Add("/openapi.json", "/openapi.json");
        Add("/openapi/{documentName}.json", "/openapi/v1.json");
        Add("/docs/{documentName?}", "/docs");
        foreach (var asset in new[] { "favicon.svg", "scalar.aspnetcore.js", "scalar.js" })
        {
            calls.Add(new Call($"/docs/{asset}", $"/docs/{asset}", asset == "scalar.js" ? 64 : Page, ReadsStore: false)); // Scalar's bundle (4.9 MB), from its package
        }
        return calls;
    }
}
