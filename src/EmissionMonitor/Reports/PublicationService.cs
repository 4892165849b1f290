using System.Globalization;
using System.Text.Json.Nodes;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Reports;

/// <summary>
/// The quarterly lists the bureau publishes (青政〔2017〕53号 §十五): a publication is an immutable
/// snapshot, for a city or the province, of the quarter's confirmed cards (lifted ones with their
/// lift) with the enterprises' names, cities, reasons in words, rectification deadlines and
/// effective transmission rates, and the rates of the cities — no other enterprise is named.
/// Later data never changes it; a later lift of a listed card is shown as an update with its date;
/// publishing the same quarter and city again makes a new version.
/// </summary>
public sealed class PublicationService(IRecordStore store, Func<ReportService> reports, Func<StationRegistry> registry, ComplianceOptions compliance,
    TimeZoneInfo zone, TimeProvider clock, TimeSpan? settleAfter = null, PublicOptions? publicView = null)
{
    private readonly PublicOptions publicOptions = publicView ?? new PublicOptions();

    /// <summary>The effective transmission rate a city or enterprise must reach (Compliance:RateThreshold).</summary>
    public double RateThreshold => compliance.RateThreshold;

    /// <summary>How the public page presents the lists.</summary>
    public PublicOptions Public => publicOptions;

    /// <summary>What publishing gave: the publication's JSON, or why it was refused (and the bad parameter).</summary>
    public sealed record Outcome(JsonObject? Publication, Outcomes.Refusal Refusal, string? Parameter, string? Problem)
    {
        /// <summary>Why a quarter is not ready to publish (<c>not-ended</c>, <c>not-settled</c>), when that was the refusal.</summary>
        public string? Code { get; init; }
    }

    /// <summary>How long after a quarter's end its data counts as settled (late and back-filled data still arrive before). Publications:SettleAfter.</summary>
    public TimeSpan SettleAfter => settleAfter ?? TimeSpan.FromDays(3);

    /// <summary>
    /// Publishes a quarter's list for <paramref name="city"/> (null: the province). A quarter that has
    /// not ended, or ended less than <see cref="SettleAfter"/> ago, is published only with
    /// <paramref name="force"/> (its figures may still change).
    /// </summary>
    public async Task<Outcome> PublishAsync(string? quarter, string? city, string by, CancellationToken ct, bool force = false)
    {
        if (quarter is null || ReportPeriod.Quarter(quarter) is not { } period)
        {
            return new Outcome(null, Outcomes.Refusal.Invalid, "quarter", $"quarter must look like 2025Q3, not '{quarter}'");
        }

        var current = registry();
        if (city is not null && !current.Enterprises.Any(e => e.City == city))
        {
            return new Outcome(null, Outcomes.Refusal.Invalid, "city", $"city: no enterprise of the registry is in '{(city.Length > 40 ? city[..40] + "…" : city)}'");
        }

        var nowLocal = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        if (!force && nowLocal < period.To)
        {
            return new Outcome(null, Outcomes.Refusal.Conflict, "quarter", $"{quarter} has not ended (it ends {period.To:yyyy-MM-dd}): its list is not final; publish with force=true to do it anyway")
            {
                Code = "not-ended",
            };
        }

        if (!force && nowLocal < period.To + SettleAfter)
        {
            return new Outcome(null, Outcomes.Refusal.Conflict, "quarter",
                $"{quarter}'s data is not settled until {period.To + SettleAfter:yyyy-MM-dd HH:mm} (Publications:SettleAfter): late data may still change it; publish with force=true to do it anyway")
            {
                Code = "not-settled",
            };
        }

        var snapshot = await SnapshotAsync(quarter, period, city, ct);
        var earlier = (await store.QueryPublicationsAsync(ct)).Count(p => p.Quarter == quarter && p.City == city);
        var record = new PublicationRecord("pub-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)), quarter, city, earlier + 1,
            clock.GetUtcNow(), by, snapshot.ToJsonString());
        await store.AddPublicationAsync(record, ct);
        return new Outcome(await ShowAsync(record, withAuthor: true, ct), Outcomes.Refusal.None, null, null);
    }

    /// <summary>
    /// What a published list holds, as it stands now: the quarter's confirmed cards of the city (or province) with their reasons in
    /// both languages, rectification deadline, the enterprise's effective rate and lift, and each city's effective rate.
    /// </summary>
    private async Task<JsonObject> SnapshotAsync(string quarter, ReportPeriod period, string? city, CancellationToken ct)
    {
        var service = reports();
        var cards = (await service.CardsAsync(new ReportRequest("cards", period, City: city), ct))
            .Where(c => c.Card.Quarter == quarter && c.Card.DecisionState == CardDecision.Confirmed).ToList();
        var enterpriseRates = (await service.RatesAsync(new ReportRequest("rates", period, City: city, By: "enterprise"), ct))
            .ToDictionary(r => r.Scope.Enterprise ?? string.Empty, r => r.Counts.EffectiveRate);
        var cityRates = await service.RatesAsync(new ReportRequest("rates", period, City: city, By: "city"), ct);
        return new JsonObject
        {
            ["rateThreshold"] = compliance.RateThreshold,
            ["cards"] = new JsonArray(cards.Select(c => (JsonNode)new JsonObject
            {
                ["enterprise"] = c.Scope.Enterprise,
                ["enterpriseName"] = c.Scope.EnterpriseName,
                ["permitNumber"] = c.Scope.PermitNumber,
                ["city"] = c.Scope.City,
                ["card"] = c.Card.Colour,
                ["reasons"] = new JsonArray(c.Card.Reasons.Select(r => (JsonNode)new JsonObject { ["zh"] = r.Words(true), ["en"] = r.Words(false) }).ToArray()),
                ["rectifyBy"] = c.Card.RectifyBy.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["effectiveRate"] = enterpriseRates.GetValueOrDefault(c.Scope.Enterprise ?? string.Empty),
                ["lifted"] = c.Card.Lifted is { } l ? new JsonObject { ["at"] = Local(l.At), ["comment"] = l.Comment } : null,
            }).ToArray()),
            ["cities"] = new JsonArray(cityRates.Select(r => (JsonNode)new JsonObject
            {
                ["city"] = r.Scope.City, ["effectiveRate"] = r.Counts.EffectiveRate, ["belowThreshold"] = r.BelowThreshold,
            }).ToArray()),
        };
    }

    /// <summary>
    /// Every publication, newest first, each with the updates since (lifts of its listed cards after
    /// it was published) and whether it is the latest of its quarter and city.
    /// <paramref name="withAuthor"/> false leaves out who published (the public's view).
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(bool withAuthor, CancellationToken ct)
    {
        var all = await store.QueryPublicationsAsync(ct);
        var lifts = await store.QueryCardLiftsAsync(ct);
        var latest = all.GroupBy(p => (p.Quarter, p.City)).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Version)!.Id);
        var seq = all.GroupBy(p => TimeZoneInfo.ConvertTime(p.PublishedAt, zone).Year)
            .SelectMany(g => g.OrderBy(p => p.PublishedAt).Select((p, i) => (p.Id, Year: g.Key, Seq: i + 1)))
            .ToDictionary(x => x.Id, x => (x.Year, x.Seq), StringComparer.Ordinal);
        return all.OrderByDescending(p => p.PublishedAt)
            .Select(p => Show(p, withAuthor, lifts, latest[(p.Quarter, p.City)] == p.Id, seq[p.Id])).ToList();
    }

    /// <summary>One publication by id, or null.</summary>
    public async Task<JsonObject?> FindAsync(string id, bool withAuthor, CancellationToken ct) =>
        (await ListAsync(withAuthor, ct)).FirstOrDefault(p => p["id"]!.GetValue<string>() == id);

    private async Task<JsonObject> ShowAsync(PublicationRecord record, bool withAuthor, CancellationToken ct) =>
        (await ListAsync(withAuthor, ct)).First(p => p["id"]!.GetValue<string>() == record.Id);

    private JsonObject Show(PublicationRecord p, bool withAuthor, IReadOnlyList<CardLift> lifts, bool isLatest, (int Year, int Seq) number)
    {
        var snapshot = JsonNode.Parse(p.Json)!.AsObject();
        var listed = snapshot["cards"]!.AsArray().Select(c => (Enterprise: c!["enterprise"]!.GetValue<string>(), Name: c["enterpriseName"]?.GetValue<string>())).ToList();
        var updates = lifts.Where(l => l.Quarter == p.Quarter && l.Revoked is null && l.At > p.PublishedAt && listed.Any(c => c.Enterprise == l.Enterprise))
            .OrderBy(l => l.At)
            .Select(l => (JsonNode)new JsonObject
            {
                ["at"] = Local(l.At), ["kind"] = "lifted", ["enterprise"] = l.Enterprise, ["enterpriseName"] = listed.First(c => c.Enterprise == l.Enterprise).Name,
                ["comment"] = l.Comment,
            }).ToArray();
        var shown = new JsonObject
        {
            ["id"] = p.Id, ["quarter"] = p.Quarter, ["city"] = p.City, ["version"] = p.Version, ["latest"] = isLatest, ["publishedAt"] = Local(p.PublishedAt),
        };
        if (ReportPeriod.Quarter(p.Quarter) is { } period)
        {
            // The data the list stands on: up to the quarter's end, or up to publishing when that came first.
            var publishedLocal = TimeZoneInfo.ConvertTime(p.PublishedAt, zone).DateTime;
            shown["dataUpTo"] = (publishedLocal < period.To ? publishedLocal : period.To).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            shown["quarterEnded"] = publishedLocal >= period.To;
        }

        shown["documentNumber"] = publicOptions.DocumentNumber.Replace("{year}", number.Year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{seq}", number.Seq.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        shown["authority"] = publicOptions.Authority;
        if (withAuthor)
        {
            shown["publishedBy"] = p.By;
        }

        foreach (var (key, value) in snapshot)
        {
            shown[key] = value?.DeepClone();
        }

        shown["updates"] = new JsonArray(updates);
        if (!withAuthor)
        {
            // The public sees dates, not the operators' free text (it may name people).
            foreach (var card in shown["cards"]!.AsArray())
            {
                (card!["lifted"] as JsonObject)?.Remove("comment");
            }

            foreach (var update in shown["updates"]!.AsArray())
            {
                update!.AsObject().Remove("comment");
            }
        }

        return shown;
    }

    /// <summary>A publication's list as a table (CSV, XLSX): one row per listed card.</summary>
    public static ReportTable Table(JsonObject publication, bool chinese)
    {
        string[] columns = chinese
            ? ["市（州）", "企业名称", "牌", "原因", "整改期限", "有效传输率", "解除"]
            : ["City", "Enterprise", "Card", "Reasons", "Rectify by", "Effective rate", "Lifted"];
        var rows = publication["cards"]!.AsArray().Select(c => new object?[]
        {
            c!["city"]?.GetValue<string>(), c["enterpriseName"]?.GetValue<string>(),
            chinese ? (c["card"]!.GetValue<string>() == Card.Red ? "红牌" : "黄牌") : c["card"]!.GetValue<string>(),
            string.Join(chinese ? "；" : "; ", c["reasons"]!.AsArray().Select(r => r![chinese ? "zh" : "en"]!.GetValue<string>())),
            c["rectifyBy"]?.GetValue<string>(), c["effectiveRate"]?.GetValue<double?>() is { } rate ? (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : null,
            c["lifted"]?["at"]?.GetValue<string>() is { } lifted ? lifted[..Math.Min(10, lifted.Length)] : null,
        }).ToList();
        return new ReportTable(columns, rows);
    }

    private string Local(DateTimeOffset t) => ReportFormats.Instant(t, zone);
}

/// <summary>
/// How the public page presents the lists (configuration section <c>Public</c>): the issuing
/// authority, the notice's title and its document number, each publication numbered in its year.
/// </summary>
public sealed class PublicOptions
{
    public const string Section = "Public";

    /// <summary>Who issues the lists, e.g. 青海省生态环境厅.</summary>
    [System.ComponentModel.DataAnnotations.StringLength(80, MinimumLength = 1, ErrorMessage = "Public:Authority must be 1 to 80 characters")]
    public string Authority { get; set; } = "省生态环境厅";

    /// <summary>The notice's title above the lists.</summary>
    [System.ComponentModel.DataAnnotations.StringLength(120, MinimumLength = 1, ErrorMessage = "Public:Title must be 1 to 120 characters")]
    public string Title { get; set; } = "重点排污单位自动监控数据有效传输率及红黄牌名单公布";

    /// <summary>A publication's document number: {year} and {seq} (its place among the year's publications) are filled in.</summary>
    [System.ComponentModel.DataAnnotations.StringLength(80, MinimumLength = 1, ErrorMessage = "Public:DocumentNumber must be 1 to 80 characters")]
    public string DocumentNumber { get; set; } = "〔{year}〕{seq}号";
}

/// <summary>Publishing the quarterly lists (configuration section <c>Publications</c>).</summary>
public sealed class PublicationOptions
{
    public const string Section = "Publications";

    /// <summary>A quarter's data counts as settled this long after its end; before, publishing needs force=true. Default 3 days (UNVERIFIED: no rule names the delay).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "90.00:00:00", ErrorMessage = "Publications:SettleAfter must be between 0 and 90 days")]
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromDays(3);
}
