using Microsoft.AspNetCore.Http.HttpResults;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Evidence;

namespace EmissionMonitor.Api;

/// <summary>Evidence files over HTTP: an upload received and recorded, a file served.</summary>
public static class EvidenceAnswers
{
    /// <summary>
    /// Receives one file for <paramref name="owner"/> and hands it to <paramref name="record"/>, which
    /// answers the request and says whether the file was kept; a file it did not keep is removed again.
    /// </summary>
    public static async Task<Results<TAnswer, ProblemHttpResult>> AttachAsync<TAnswer>(this EvidenceStore evidence, HttpRequest request, string owner, string by,
        Func<EvidenceFile, Task<(TAnswer Answer, bool Kept)>> record, CancellationToken ct)
        where TAnswer : IResult
    {
        var upload = await evidence.ReceiveAsync(request, owner, by, ct);
        if (upload.File is not { } file)
        {
            return Refusals.Problem(upload.Refusal, upload.Problem, "file");
        }

        var (answer, kept) = await record(file);
        if (!kept)
        {
            evidence.Discard(owner, file);
        }

        return answer;
    }

    /// <summary>
    /// The file as an HTTP answer: an attachment of its checked type named <c>{id}.pdf|.jpg|.png</c>
    /// — never the uploader's name or extension (a page named <c>run.hta</c>, or "…exe.pdf" spelled
    /// with a right-to-left override); that name stays in the record as text.
    /// </summary>
    public static Results<FileStreamHttpResult, ProblemHttpResult> Serve(this EvidenceStore evidence, string owner, EvidenceFile file)
    {
        var stream = evidence.Open(owner, file);
        return stream is null
            ? Refusals.Problem(404, $"the bytes of {file.Id} are not on this instance")
            : TypedResults.File(stream, file.ContentType, EvidenceStore.DownloadName(file), enableRangeProcessing: false);
    }
}
