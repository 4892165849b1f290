using EmissionMonitor.Outcomes;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using EmissionMonitor.Compliance.Marks;
using Microsoft.Net.Http.Headers;

namespace EmissionMonitor.Evidence;

/// <summary>What an upload gave: the file, or an HTTP status with the problem.</summary>
public sealed record EvidenceUpload(EvidenceFile? File, Refusal Refusal, string? Problem);

/// <summary>What a form with files gave: its text fields and the files kept, or the refusal (and no file kept).</summary>
public sealed record EvidenceForm(IReadOnlyDictionary<string, string> Fields, IReadOnlyList<EvidenceFile> Files, Refusal Refusal, string? Problem);

/// <summary>
/// Evidence files under <c>{data}/evidence/{owner}/{id}</c>: a multipart upload is streamed to a
/// temporary file while it is counted (beyond <see cref="Users.UserLimits.MaxEvidenceBytes"/> it stops:
/// 413) and hashed; its first bytes must be those of a PDF, JPEG or PNG and agree with the declared
/// content type (else 415); only then is it moved into place. Nothing is kept while the data folder's
/// disk is low (507). Files are served back as attachments with their checked type, never sniffed.
/// </summary>
public sealed partial class EvidenceStore(string dataDirectory, Users.UserLimits options, Storage.Journaling.DiskGuard disk, TimeProvider clock)
{
    public const string Pdf = "application/pdf", Jpeg = "image/jpeg", Png = "image/png";

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray(), JpegMagic = [0xFF, 0xD8, 0xFF], PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _root = Path.Combine(Path.GetFullPath(dataDirectory), "evidence");
    private readonly Lock _quotaLock = new();
    private readonly Dictionary<string, long> _uploadedToday = new(StringComparer.Ordinal);
    private DateOnly _quotaDay;

    /// <summary>Takes <paramref name="bytes"/> from the uploader's daily allowance (Api:MaxEvidenceBytesPerDay); false when it would go beyond.</summary>
    private bool TakeQuota(string by, long bytes)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        lock (_quotaLock)
        {
            if (today != _quotaDay)
            {
                _uploadedToday.Clear();
                _quotaDay = today;
            }

            long used = _uploadedToday.GetValueOrDefault(by);
            if (used + bytes > options.MaxEvidenceBytesPerDay)
            {
                return false;
            }

            _uploadedToday[by] = used + bytes;
            return true;
        }
    }

    /// <summary>The type the bytes begin as, or null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith(PdfMagic) ? Pdf : head.StartsWith(JpegMagic) ? Jpeg : head.StartsWith(PngMagic) ? Png : null;

    /// <summary>
    /// Reads the one file part of a <c>multipart/form-data</c> request (field name free) into the
    /// folder of <paramref name="owner"/> (a mark's or an order's id).
    /// </summary>
    public async Task<EvidenceUpload> ReceiveAsync(HttpRequest request, string owner, string by, CancellationToken ct)
    {
        if (disk.Check() != Storage.Journaling.DiskState.Ample)
        {
            return new(null, Refusal.NoRoom, "the data folder's disk is low (Storage:MinFreeMB): no evidence is kept until room is made");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return new(null, Refusal.UnsupportedContent, "evidence is sent as multipart/form-data with one file part");
        }

        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxEvidenceBytes + 64 * 1024; // the file and its part headers
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 8 * 1024, BodyLengthLimit = options.MaxEvidenceBytes + 1 };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue; // form fields beside the file are ignored
                }

                string name = CleanName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
                return await SaveAsync(section.Body, section.ContentType, name, owner, by, ct);
            }
        }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge();
        }
        catch (InvalidDataException e)
        {
            return new(null, Refusal.Invalid, $"the multipart body is malformed: {e.Message}");
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return TooLarge();
        }

        return new(null, Refusal.Invalid, "no file part in the request");
    }

    private static readonly EvidenceUpload EmptyFile = new(null, Refusal.Invalid, "the file is empty");

    private EvidenceUpload TooLarge() => new(null, Refusal.TooLarge, $"an evidence file is at most {options.MaxEvidenceBytes / 1048576.0:0.#} MB (Api:MaxEvidenceBytes)");

    private async Task<EvidenceUpload> SaveAsync(Stream body, string? declared, string name, string owner, string by, CancellationToken ct)
    {
        string folder = Folder(owner);
        Directory.CreateDirectory(folder);
        string id = "ev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string temp = Path.Combine(folder, id + ".part");
        try
        {
            if (await CopyAsync(body, temp, ct) is not { } copied)
            {
                return TooLarge();
            }

            if (copied.Length == 0)
            {
                return EmptyFile;
            }

            if (Sniff(copied.Head) is not { } actual)
            {
                return new(null, Refusal.UnsupportedContent, "evidence must be a PDF, JPEG or PNG file (checked by its content)");
            }

            if (Refused(actual, declared, by, copied.Length) is { } refused)
            {
                return refused;
            }

            File.Move(temp, Path.Combine(folder, id));
            return new(new EvidenceFile(id, name.Length == 0 ? id + Extension(actual) : name, actual, copied.Length, copied.Sha256, by, clock.GetUtcNow()), Refusal.None, null);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The body into <paramref name="temp"/>, flushed to disk: its length, first bytes and SHA-256; null when it is longer than Api:MaxEvidenceBytes.</summary>
    private async Task<(long Length, byte[] Head, string Sha256)?> CopyAsync(Stream body, string temp, CancellationToken ct)
    {
        long length = 0;
        var head = new byte[8];
        int headLength = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            var buffer = new byte[64 * 1024];
            for (int n; (n = await body.ReadAsync(buffer, ct)) > 0;)
            {
                length += n;
                if (length > options.MaxEvidenceBytes)
                {
                    return null;
                }

                int take = Math.Min(head.Length - headLength, n);
                buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                headLength += take;
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }

            await file.FlushAsync(ct);
            file.Flush(flushToDisk: true);
        }

        return (length, head[..headLength], Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Why a file of <paramref name="actual"/> content is not kept (not the type it is sent as; the user's daily quota spent), or null (the quota taken).</summary>
    private EvidenceUpload? Refused(string actual, string? declared, string by, long length)
    {
        string? claimed = MediaTypeHeaderValue.TryParse(declared, out var d) ? d.MediaType.Value?.ToLowerInvariant() : null;
        if (claimed is not null && claimed != "application/octet-stream" && claimed != actual && !(claimed == "image/jpg" && actual == Jpeg))
        {
            return new(null, Refusal.UnsupportedContent, $"the file is sent as {Users.UserText.Shown(claimed)} but its content is {actual}");
        }

        return TakeQuota(by, length) ? null
            : new(null, Refusal.TooMany, $"{Users.UserText.Shown(by)} has uploaded {options.MaxEvidenceBytesPerDay / 1048576.0:0.#} MB of evidence today, the most one user may (Api:MaxEvidenceBytesPerDay)");
    }

    /// <summary>The stored bytes of a file, or null when they are gone.</summary>
    public Stream? Open(string owner, EvidenceFile file)
    {
        string path = Path.Combine(Folder(owner), file.Id);
        return IsId(file.Id) && File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true) : null;
    }

    /// <summary>Removes a file that was received but could not be recorded.</summary>
    public void Discard(string owner, EvidenceFile file)
    {
        if (IsId(file.Id))
        {
            File.Delete(Path.Combine(Folder(owner), file.Id));
        }
    }

    /// <summary>The folder of an owner: ids are ours (letters, digits, dashes), never a path from the request.</summary>
    private string Folder(string owner) =>
        IsId(owner) ? Path.Combine(_root, owner) : throw new ArgumentException($"not an id: {owner}", nameof(owner));

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string Extension(string type) => type switch { Pdf => ".pdf", Jpeg => ".jpg", _ => ".png" };

    /// <summary>The name as given (kept as text only), without folders, control or Unicode format characters, at most 120 characters.</summary>
    public static string CleanName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return string.Empty;
        }

        name = name.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (!char.IsControl(c) && c is not ('"' or '<' or '>') && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format) // no bidi overrides (U+202E) or invisible joiners
            {
                sb.Append(c);
            }
        }

        string cleaned = sb.ToString().Trim().TrimStart('.');
        return cleaned.Length > 120 ? cleaned[..120] : cleaned;
    }

    /// <summary>The name a download is saved under: the file's id and the extension of its checked type.</summary>
    public static string DownloadName(EvidenceFile file) => file.Id + Extension(file.ContentType);
}
