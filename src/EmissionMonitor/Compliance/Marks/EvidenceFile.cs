namespace EmissionMonitor.Compliance.Marks;

/// <summary>
/// One evidence file attached to a mark or an order's answer: its id, the name it was uploaded with
/// (cleaned), its checked content type, size, SHA-256, and who uploaded it when. The bytes lie under
/// the data folder (the evidence store).
/// </summary>
public sealed record EvidenceFile(string Id, string Name, string ContentType, long Bytes, string Sha256, string By, DateTimeOffset At);
