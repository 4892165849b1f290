using System.Globalization;
using System.Text;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The measurements of operator and terminal records that servers written before keyed records have
/// (a measurement per kind, each with fields of its own): moved into <c>documents</c> at start-up.
/// </summary>
public sealed partial class InfluxStore
{
    /// <summary>Each legacy measurement and the document a point of it becomes (null: a point still being written, or torn).</summary>
    private static IReadOnlyList<(string Measurement, Func<InfluxRow, DocumentRecord?> ToDocument)> LegacyMeasurements { get; } =
    [
        ("marks", row => OperatorRecords.Marks.ToDocument(RecordMeta.Apply(new Mark(row.Req("mn"), row.Req("kind"), DateTime.Parse(row.Req("from"), CultureInfo.InvariantCulture),
            DateTime.Parse(row.Req("to"), CultureInfo.InvariantCulture), Field(row, "comment")), row.Str("meta")))),
        ("card_lifts", row => OperatorRecords.Lifts.ToDocument(RecordMeta.Apply(new CardLift(row.Req("enterprise"), row.Req("quarter"), row.At("at"), row.Req("by"), Field(row, "comment")),
            row.Str("meta")))),
        ("card_decisions", row => OperatorRecords.Decisions.ToDocument(new CardDecision(row.Req("enterprise"), row.Req("quarter"), row.Req("decision"), row.At("at"), row.Req("by"),
            Field(row, "comment"), row.Req("colour"), Field(row, "reasons")?.Split(ReasonSeparators, StringSplitOptions.None) ?? []) { VisibleToEnterprise = row.Str("visible") == "1" })),
        ("publications", row => OperatorRecords.Publications.ToDocument(new PublicationRecord(row.Req("id"), row.Req("quarter"), Field(row, "city"), (int)row.Long("version"),
            row.At("published_at"), row.Req("by"), row.Req("json")))),
        ("notifications", row => OperatorRecords.Notifications.ToDocument(new NotificationRecord(row.Req("id"), row.Req("contact"), row.Req("state"), row.At("created_at"), row.Req("json")))),
        ("commands", row => OperatorRecords.TerminalCommands.ToDocument(new CommandRecord(row.Req("id"), row.Req("mn"), row.Req("state"), row.At("requested_at"), row.Req("json")))),
        ("terminal_keys", row => OperatorRecords.Keys.ToDocument(new TerminalKey(row.Req("mn"), row.Req("key"), row.At("created_at"), row.Req("source")))),
        ("terminal_identities", row => OperatorRecords.Identities.ToDocument(new TerminalIdentity(row.Req("mn"), Field(row, "logger_id"), Field(row, "cpu_id"), Field(row, "macs"),
            row.At("reported_at")))),
    ];

    /// <summary>The reasons of a decision were written one per line, and InfluxDB 1.x kept each line break as the two characters it was escaped to.</summary>
    private static readonly string[] ReasonSeparators = ["\n", "\\n"];

    private volatile bool _legacyMoved;
    private DateTimeOffset _legacyNextTry = DateTimeOffset.MinValue;

    /// <summary>
    /// Every legacy measurement on the server written again as documents, then dropped (any instance
    /// may run it: the documents are the same points each time, and a move cut short is done again at
    /// the next try). A server that cannot be reached or refuses now is tried again by the forwarder,
    /// a minute later.
    /// </summary>
    private async Task MoveLegacyRecordsAsync(CancellationToken cancellationToken)
    {
        if (_legacyMoved || _clock.GetUtcNow() < _legacyNextTry)
        {
            return;
        }

        try
        {
            using var shown = await QueryServerAsync("SHOW MEASUREMENTS", cancellationToken);
            var present = Rows(shown).Select(r => r.Str("name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var (measurement, toDocument) in LegacyMeasurements.Where(l => present.Contains(l.Measurement)))
            {
                var documents = await ServerRowsAsync($"SELECT * FROM \"{measurement}\"", toDocument, cancellationToken);
                foreach (var chunk in documents.Chunk(BatchSize))
                {
                    var lines = new StringBuilder();
                    foreach (var d in chunk)
                    {
                        InfluxSchema.AppendDocument(lines, d);
                    }

                    await WriteServerAsync(lines, cancellationToken);
                }

                await ExecuteServerAsync($"DROP MEASUREMENT \"{measurement}\"", cancellationToken);
                LogLegacyMoved(_logger, documents.Count, measurement);
            }

            _legacyMoved = true;
        }
        catch (Exception e) when (e is StoreUnavailableException or HttpRequestException or InfluxException && !cancellationToken.IsCancellationRequested)
        {
            _legacyNextTry = _clock.GetUtcNow() + TimeSpan.FromMinutes(1); // a server that refuses (e.g. one without DROP MEASUREMENT) is asked again later, not at every batch
            LogLegacyNotMoved(_logger, e.Message);
        }
    }

    private static string? Field(InfluxRow row, string name) => string.IsNullOrEmpty(row.Str(name)) ? null : row.Str(name);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Moved {Count} records of the measurement {Measurement} into documents")]
    private static partial void LogLegacyMoved(ILogger logger, int count, string measurement);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "The records of older measurements could not be moved into documents yet ({Reason}); tried again in a minute")]
    private static partial void LogLegacyNotMoved(ILogger logger, string reason);
}
