using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Outcomes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace EmissionMonitor.Evidence;

/// <summary>Forms with files: a record and its evidence in one request.</summary>
public sealed partial class EvidenceStore
{
    /// <summary>
    /// Reads a whole <c>multipart/form-data</c> form: its text fields (at most 32, each at most
    /// <see cref="MaxFieldLength"/> characters) and up to <paramref name="maxFiles"/> file parts, each
    /// checked and kept under <paramref name="owner"/> as <see cref="ReceiveAsync"/> does. When one part
    /// is refused, every file of the form already kept is removed again: the form leaves nothing.
    /// </summary>
    public async Task<EvidenceForm> ReceiveFormAsync(HttpRequest request, string owner, string by, int maxFiles, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<EvidenceFile>();
        var refused = FormRefusal(request, maxFiles, out string? boundary) ?? await ReadPartsAsync(request, boundary!, fields, files, owner, by, maxFiles, ct);
        if (refused is { } r)
        {
            files.ForEach(f => Discard(owner, f));
            return new(fields, [], r.Refusal, r.Problem);
        }

        return new(fields, files, Refusal.None, null);
    }

    /// <summary>
    /// Why a form is refused before its body is read (a disk low on room, not a multipart form), or null with the form's
    /// boundary; sets the request's body limit to what the form may carry.
    /// </summary>
    private (Refusal Refusal, string Problem)? FormRefusal(HttpRequest request, int maxFiles, out string? boundary)
    {
        boundary = Boundary(request);
        if (disk.Check() != Storage.Journaling.DiskState.Ample)
        {
            return (Refusal.NoRoom, "the data folder's disk is low (Storage:MinFreeMB): no evidence is kept until room is made");
        }

        if (boundary is null)
        {
            return (Refusal.UnsupportedContent, "a form with files is sent as multipart/form-data");
        }

        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = (maxFiles * options.MaxEvidenceBytes) + (64 * 1024);
        }

        return null;
    }

    /// <summary>The form's parts into <paramref name="fields"/> and <paramref name="files"/>; why the form is refused, or null.</summary>
    private async Task<(Refusal Refusal, string Problem)?> ReadPartsAsync(HttpRequest request, string boundary, Dictionary<string, string> fields, List<EvidenceFile> files,
        string owner, string by, int maxFiles, CancellationToken ct)
    {
        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 8 * 1024, BodyLengthLimit = options.MaxEvidenceBytes + 1 };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
                {
                    return (Refusal.Invalid, "every part of the form needs a Content-Disposition: form-data with a name");
                }

                var refused = disposition.IsFileDisposition()
                    ? await ReadFileAsync(section, disposition, files, owner, by, maxFiles, ct)
                    : await ReadFieldAsync(section, disposition, fields, ct);
                if (refused is not null)
                {
                    return refused;
                }
            }
        }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            return (Refusal.TooLarge, TooLarge().Problem!);
        }
        catch (InvalidDataException e)
        {
            return (Refusal.Invalid, $"the multipart body is malformed: {e.Message}");
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return (Refusal.TooLarge, TooLarge().Problem!);
        }

        return null;
    }

    /// <summary>A text part into <paramref name="fields"/> (at most 32 named fields of at most <see cref="MaxFieldLength"/> characters); why not, or null.</summary>
    private static async Task<(Refusal Refusal, string Problem)?> ReadFieldAsync(MultipartSection section, ContentDispositionHeaderValue disposition, Dictionary<string, string> fields,
        CancellationToken ct)
    {
        string field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
        if (fields.Count >= 32 || field.Length is 0 or > 64)
        {
            return (Refusal.Invalid, "the form has too many fields or a field without a name");
        }

        using var text = new StreamReader(section.Body, System.Text.Encoding.UTF8);
        var buffer = new char[MaxFieldLength + 1];
        int read = await text.ReadBlockAsync(buffer, ct);
        if (read > MaxFieldLength)
        {
            return (Refusal.Invalid, $"the form field {Users.UserText.Shown(field)} is longer than {MaxFieldLength} characters");
        }

        fields[field] = new string(buffer, 0, read);
        return null;
    }

    /// <summary>A file part checked and kept into <paramref name="files"/> (a nameless empty part, as browsers send for an empty input, skipped); why not, or null.</summary>
    private async Task<(Refusal Refusal, string Problem)?> ReadFileAsync(MultipartSection section, ContentDispositionHeaderValue disposition, List<EvidenceFile> files,
        string owner, string by, int maxFiles, CancellationToken ct)
    {
        string name = CleanName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
        if (files.Count >= maxFiles)
        {
            return (Refusal.Conflict, $"at most {maxFiles} files go with one record (Api:MaxEvidenceFiles)");
        }

        var upload = await SaveAsync(section.Body, section.ContentType, name, owner, by, ct);
        if (ReferenceEquals(upload, EmptyFile) && name.Length == 0)
        {
            return null;
        }

        if (upload.File is not { } file)
        {
            return (upload.Refusal, $"{(name.Length == 0 ? "a file" : Users.UserText.Shown(name))}: {upload.Problem}");
        }

        files.Add(file);
        return null;
    }

    /// <summary>The longest text field a form may carry (a comment's limit is checked by its feature).</summary>
    public const int MaxFieldLength = 8 * 1024;

    /// <summary>True when the request carries a multipart form.</summary>
    public static bool IsMultipart(HttpRequest request) => Boundary(request) is not null;

    private static string? Boundary(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 and <= 200 } boundary
            ? boundary
            : null;
}
