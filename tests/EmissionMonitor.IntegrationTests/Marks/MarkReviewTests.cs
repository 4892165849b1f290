using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EmissionMonitor.IntegrationTests.Marks;

/// <summary>
/// Marks with review and evidence: every state change and role, only approved marks change the
/// rate (DOMAIN.md §0), evidence limits and types, an enterprise never sees or touches another's
/// marks, orders or files, and the yearly cap on fault hours.
/// </summary>
public sealed class MarkReviewTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise1 = "enterprise-token-1", Enterprise2 = "enterprise-token-2";

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 1, 2, 3, 4];

    private static Task<ServiceFixture> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
            ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
            ["Api:Users:2:Token"] = Enterprise1, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "QH-XN-001", ["Api:Users:2:Name"] = "热电厂环保专员",
            ["Api:Users:3:Token"] = Enterprise2, ["Api:Users:3:Role"] = "enterprise", ["Api:Users:3:Enterprise"] = "QH-XN-002",
            ["Api:MaxEvidenceBytes"] = "4096", ["Api:MaxEvidenceFiles"] = "2",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return ServiceFixture.StartAsync(settings);
    }

    private static HttpClient Client(ServiceFixture service, string token) => ApiCalls.Client(service.HttpBase, token);

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, object? body = null) => ApiCalls.PostAsync(http, path, body);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(HttpClient http, string path, byte[] bytes, string contentType, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", name);
        var response = await http.PostAsync(path, form);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || !text.StartsWith('{') ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>24 hourly SO2 records of 2025-07-01 for QHXN0010001, hours 10–12 flagged D (a fault).</summary>
    private static Task SendDayAsync(ServiceFixture service) =>
        GatewayClient.SendAcknowledgedAsync(service.GatewayPort, Enumerable.Range(0, 24).Select(h =>
            Some.Hourly(at: new DateTime(2025, 7, 1, h, 0, 0), flag: 5).Value("a21026", "Avg", 20m).Value("a21026", "Flag", h is >= 10 and <= 12 ? "D" : "N").Build().ToString()));

    private static async Task<(int Excused, int Valid, double Effective)> RateAsync(HttpClient http)
    {
        var row = (await http.GetFromJsonAsync<JsonElement>("/api/rates?from=2025-07-01&to=2025-07-02&mn=QHXN0010001&pollutant=a21026&by=pollutant"))[0];
        return (row.GetProperty("excused").GetInt32(), row.GetProperty("valid").GetInt32(), row.GetProperty("effectiveRate").GetDouble());
    }

    [Fact]
    public async Task AnEnterprisesMark_IsPendingUntilApproved_OnlyThenChangesTheRate_AndEveryOtherTransitionIsRefused()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);
        using var inspector = Client(service, Inspector);
        using var mine = Client(service, Enterprise1);
        using var other = Client(service, Enterprise2);
        await SendDayAsync(service);
        var fault = new { mn = "QHXN0010001", kind = "fault", from = "2025-07-01T10:00:00", to = "2025-07-01T13:00:00", comment = "分析仪故障，已报修" };

        // Without the mark: 24 expected and received, 21 valid (D is invalid) → 0.875.
        Assert.Equal((0, 21, 21.0 / 24), await RateAsync(op));

        // Roles first: an inspector files nothing; another enterprise is refused even with a bad body.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(inspector, "/api/marks", fault)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(other, "/api/marks", fault)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(other, "/api/marks", new { mn = "QHXN0010001", kind = "holiday" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(other, "/api/marks", new { mn = "NO-SUCH-MN", kind = "fault" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(mine, "/api/marks", new { mn = "QHXN0010001", kind = "holiday", from = "2025-07-01", to = "2025-07-02" })).Status);

        var (created, mark) = await PostAsync(mine, "/api/marks", fault);
        Assert.Equal(HttpStatusCode.Created, created);
        string id = mark.GetProperty("id").GetString()!;
        Assert.Equal(("pending", "热电厂环保专员", "QH-XN-001"), (mark.GetProperty("state").GetString(), mark.GetProperty("by").GetString(), mark.GetProperty("enterprise").GetString()));
        Assert.Equal(JsonValueKind.Null, mark.GetProperty("decidedBy").ValueKind);

        // Pending: no figure changes, and the hours stay invalid.
        Assert.Equal((0, 21, 21.0 / 24), await RateAsync(op));

        // Another enterprise neither sees nor touches it.
        Assert.DoesNotContain(id, await other.GetStringAsync("/api/marks"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/marks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(other, $"/api/marks/{id}/revoke")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(other, $"/api/marks/{id}/evidence", Png, "image/png", "photo.png")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(mine, $"/api/marks/{id}/approve")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(inspector, $"/api/marks/{id}/reject")).Status);
        Assert.Contains(id, await inspector.GetStringAsync("/api/marks?state=pending"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/marks/{id}/revoke")).Status); // pending: approved or rejected, not revoked

        // Approved: the D hours are excused (validity 21/21), visible on the very next read.
        var (approved, body) = await PostAsync(op, $"/api/marks/{id}/approve", new { comment = "情况属实" });
        Assert.Equal(HttpStatusCode.OK, approved);
        Assert.Equal(("approved", "王工", "情况属实"), (body.GetProperty("state").GetString(), body.GetProperty("decidedBy").GetString(), body.GetProperty("decisionComment").GetString()));
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("decidedAt").ValueKind);
        Assert.Equal((3, 21, 1.0), await RateAsync(op));
        var hours = await op.GetFromJsonAsync<JsonElement>("/api/hours?from=2025-07-01T10:00&to=2025-07-01T11:00&mn=QHXN0010001&pollutant=a21026");
        Assert.Equal("excused", hours[0].GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/marks/{id}/approve")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/marks/{id}/reject")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(mine, $"/api/marks/{id}/revoke")).Status); // only an operator revokes an approved mark

        // Revoked: the rate is as before; nothing more happens to it.
        var (revoked, after) = await PostAsync(op, $"/api/marks/{id}/revoke", new { comment = "复核不属实" });
        Assert.Equal((HttpStatusCode.OK, "revoked"), (revoked, after.GetProperty("state").GetString()));
        Assert.Equal((0, 21, 21.0 / 24), await RateAsync(op));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/marks/{id}/revoke")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/marks/{id}/approve")).Status);

        // Rejected with a comment: no figure changes; an enterprise withdraws its own pending mark.
        var (_, second) = await PostAsync(mine, "/api/marks", fault);
        string secondId = second.GetProperty("id").GetString()!;
        var (rejected, rejection) = await PostAsync(op, $"/api/marks/{secondId}/reject", new { comment = "无运维记录" });
        Assert.Equal((HttpStatusCode.OK, "rejected", "无运维记录"), (rejected, rejection.GetProperty("state").GetString(), rejection.GetProperty("decisionComment").GetString()));
        Assert.Equal((0, 21, 21.0 / 24), await RateAsync(op));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(mine, $"/api/marks/{secondId}/revoke")).Status);
        var (_, third) = await PostAsync(mine, "/api/marks", fault);
        string thirdId = third.GetProperty("id").GetString()!;
        var (withdrawn, withdrawal) = await PostAsync(mine, $"/api/marks/{thirdId}/revoke", new { comment = "填错" });
        Assert.Equal((HttpStatusCode.OK, "revoked", "热电厂环保专员"), (withdrawn, withdrawal.GetProperty("state").GetString(), withdrawal.GetProperty("revokedBy").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(op, $"/api/marks/{thirdId}/approve")).Status);

        // An operator's own mark is approved at once, and works at once.
        var (opCreated, opMark) = await PostAsync(op, "/api/marks", fault with { });
        Assert.Equal((HttpStatusCode.Created, "approved", "王工"), (opCreated, opMark.GetProperty("state").GetString(), opMark.GetProperty("decidedBy").GetString()));
        Assert.Equal((3, 21, 1.0), await RateAsync(op));

        // The list filters by state, and an enterprise sees its own marks.
        var pendingOrRejected = await mine.GetFromJsonAsync<JsonElement>("/api/marks?state=rejected");
        Assert.Equal(secondId, Assert.Single(pendingOrRejected.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await mine.GetAsync("/api/marks?state=maybe")).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/marks")).EnumerateArray());
    }

    [Fact]
    public async Task Evidence_IsAPdfJpegOrPngWithinTheLimits_CheckedByContent_AndServedOnlyToWhoMaySeeTheMark()
    {
        await using var service = await StartAsync();
        using var op = Client(service, Operator);
        using var inspector = Client(service, Inspector);
        using var mine = Client(service, Enterprise1);
        using var other = Client(service, Enterprise2);
        var (_, mark) = await PostAsync(mine, "/api/marks", new { mn = "QHXN0010001", kind = "maintenance", from = "2025-07-02", to = "2025-07-03" });
        string id = mark.GetProperty("id").GetString()!;

        var (status, withFile) = await UploadAsync(mine, $"/api/marks/{id}/evidence", Png, "image/png", "../../etc/维修照片.png");
        Assert.Equal(HttpStatusCode.Created, status);
        var file = Assert.Single(withFile.GetProperty("evidence").EnumerateArray());
        Assert.Equal(("维修照片.png", "image/png", Png.Length, Convert.ToHexStringLower(SHA256.HashData(Png))),
            (file.GetProperty("name").GetString(), file.GetProperty("contentType").GetString(), file.GetProperty("bytes").GetInt32(), file.GetProperty("sha256").GetString()));
        string href = file.GetProperty("href").GetString()!;

        // Served back as an attachment of its checked type, to the enterprise and the bureau; another enterprise gets 404.
        foreach (var reader in new[] { mine, op, inspector })
        {
            using var download = await reader.GetAsync(href);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(href)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(inspector, $"/api/marks/{id}/evidence", Png, "image/png", "x.png")).Status);

        // Types are checked by content: text called a PDF, a PDF sent as PNG, and no multipart at all.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await UploadAsync(mine, $"/api/marks/{id}/evidence", "<script>alert(1)</script>"u8.ToArray(), "application/pdf", "a.pdf")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await UploadAsync(mine, $"/api/marks/{id}/evidence", "%PDF-1.7 test"u8.ToArray(), "image/png", "a.png")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await mine.PostAsync($"/api/marks/{id}/evidence", new ByteArrayContent(Png))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(mine, $"/api/marks/{id}/evidence", [], "image/png", "empty.png")).Status);

        // Size (Api:MaxEvidenceBytes, 4 KiB here) and count (Api:MaxEvidenceFiles, 2 here).
        var large = new byte[5000];
        "%PDF-"u8.CopyTo(large);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await UploadAsync(mine, $"/api/marks/{id}/evidence", large, "application/pdf", "big.pdf")).Status);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(op, $"/api/marks/{id}/evidence", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], "image/jpeg", "site.jpg")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(mine, $"/api/marks/{id}/evidence", Png, "image/png", "third.png")).Status);
        var stored = await op.GetFromJsonAsync<JsonElement>($"/api/marks/{id}");
        Assert.Equal(2, stored.GetProperty("evidence").GetArrayLength());
        string folder = Path.Combine(service.DataDirectory, "evidence", id);
        Assert.Equal(2, Directory.GetFiles(folder).Length); // refused uploads left nothing behind

        // A rejected mark takes no more files.
        var (_, other2) = await PostAsync(mine, "/api/marks", new { mn = "QHXN0010001", kind = "calibration", from = "2025-07-02", to = "2025-07-03" });
        string rejectedId = other2.GetProperty("id").GetString()!;
        await PostAsync(op, $"/api/marks/{rejectedId}/reject", new { comment = "x" });
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(mine, $"/api/marks/{rejectedId}/evidence", Png, "image/png", "late.png")).Status);

        // Orders take attachments the same way, for their enterprise only, until closed.
        var (_, order) = await PostAsync(op, "/api/orders", new { mn = "QHXN0010001", deadline = "2030-01-01T00:00:00", text = "请说明原因" });
        string orderId = order.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(other, $"/api/orders/{orderId}/evidence", Png, "image/png", "x.png")).Status);
        var (attached, withAttachment) = await UploadAsync(mine, $"/api/orders/{orderId}/evidence", "%PDF-1.4 整改报告"u8.ToArray(), "application/pdf", "整改报告.pdf");
        Assert.Equal(HttpStatusCode.Created, attached);
        string orderHref = Assert.Single(withAttachment.GetProperty("evidence").EnumerateArray()).GetProperty("href").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync(orderHref)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(orderHref)).StatusCode);
        await PostAsync(mine, $"/api/orders/{orderId}/respond", new { cause = "分析仪故障", measures = "已更换" });
        await PostAsync(op, $"/api/orders/{orderId}/close", new { comment = "已核实" });
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(mine, $"/api/orders/{orderId}/evidence", Png, "image/png", "late.png")).Status);
    }

    [Fact]
    public async Task OneAccount_CannotFillTheDiskOrTheQueue_DailyEvidenceBytesAndPendingMarksAreBounded()
    {
        await using var service = await StartAsync(new() { ["Api:MaxEvidenceBytesPerDay"] = "2048", ["Api:MaxPendingMarks"] = "2" });
        using var op = Client(service, Operator);
        using var mine = Client(service, Enterprise1);
        var body = new { mn = "QHXN0010001", kind = "maintenance", from = "2025-07-02", to = "2025-07-03" };
        var (_, first) = await PostAsync(mine, "/api/marks", body);
        var (_, second) = await PostAsync(mine, "/api/marks", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostAsync(mine, "/api/marks", body)).Status); // two await review already
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(op, "/api/marks", body)).Status); // an operator's mark is not queued
        await PostAsync(op, $"/api/marks/{first.GetProperty("id").GetString()}/approve");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(mine, "/api/marks", body)).Status); // room again

        var photo = new byte[1500];
        Png.CopyTo(photo, 0);
        string id = second.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(mine, $"/api/marks/{id}/evidence", photo, "image/png", "a.png")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await UploadAsync(mine, $"/api/marks/{id}/evidence", photo, "image/png", "b.png")).Status);
        Assert.Single(Directory.GetFiles(Path.Combine(service.DataDirectory, "evidence", id))); // the refused file is not kept
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(op, $"/api/marks/{id}/evidence", photo, "image/png", "c.png")).Status); // another user's allowance
    }

    [Fact]
    public async Task FaultMarks_BeyondTheYearlyCap_AreFlagged()
    {
        await using var service = await StartAsync(new() { ["Compliance:FaultHoursPerYear"] = "4" });
        using var op = Client(service, Operator);
        using var mine = Client(service, Enterprise1);
        var (_, first) = await PostAsync(mine, "/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-07-01T00:00", to = "2025-07-01T03:00" });
        Assert.False(first.GetProperty("overFaultCap").GetBoolean());
        var (_, second) = await PostAsync(op, "/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2025-08-01T00:00", to = "2025-08-01T03:00" });
        Assert.True(second.GetProperty("overFaultCap").GetBoolean()); // 3 + 3 hours > 4
        var (_, otherYear) = await PostAsync(op, "/api/marks", new { mn = "QHXN0010001", kind = "fault", from = "2026-01-01T00:00", to = "2026-01-01T03:00" });
        Assert.False(otherYear.GetProperty("overFaultCap").GetBoolean());
        var (_, notFault) = await PostAsync(op, "/api/marks", new { mn = "QHXN0010001", kind = "maintenance", from = "2025-09-01", to = "2025-09-10" });
        Assert.False(notFault.GetProperty("overFaultCap").GetBoolean());

        // Withdrawing the first brings the second within the cap.
        await PostAsync(mine, $"/api/marks/{first.GetProperty("id").GetString()}/revoke");
        Assert.False((await op.GetFromJsonAsync<JsonElement>($"/api/marks/{second.GetProperty("id").GetString()}")).GetProperty("overFaultCap").GetBoolean());
    }

    [Fact]
    public async Task AMark_AndItsEvidence_AreFiledInOneRequest_AndARefusedFileFilesNothing()
    {
        await using var service = await StartAsync();
        using var mine = Client(service, Enterprise1);
        using var op = Client(service, Operator);
        string evidenceFolder = Path.Combine(service.DataDirectory, "evidence");
        int FilesKept() => Directory.Exists(evidenceFolder) ? Directory.GetFiles(evidenceFolder, "*", SearchOption.AllDirectories).Length : 0;

        static MultipartFormDataContent Form(string comment, params (byte[] Bytes, string Type, string Name)[] files)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent("QHXN0010001"), "mn" }, { new StringContent("maintenance"), "kind" },
                { new StringContent("2025-07-01T10:00:00"), "from" }, { new StringContent("2025-07-01T13:00:00"), "to" }, { new StringContent(comment), "comment" },
            };
            foreach (var (bytes, type, name) in files)
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new MediaTypeHeaderValue(type);
                form.Add(file, "evidence", name);
            }

            return form;
        }

        async Task<(HttpStatusCode Status, JsonElement Body)> FileAsync(MultipartFormDataContent form)
        {
            using var response = await mine.PostAsync("/api/marks", form);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        // A PNG and a file that only claims to be a PDF: refused by its content, and neither the mark nor the PNG is kept.
        using (var bad = Form("维护", (Png, "image/png", "现场.png"), (Encoding.ASCII.GetBytes("MZ not a pdf"), "application/pdf", "报告.pdf")))
        {
            var (status, problem) = await FileAsync(bad);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
            Assert.Equal("unsupported-content", problem.GetProperty("code").GetString());
        }

        Assert.Empty((await op.GetFromJsonAsync<JsonElement>("/api/marks")).EnumerateArray());
        Assert.Equal(0, FilesKept());

        // A mark refused for its own fields keeps no file either.
        using (var wrongOutlet = Form("维护", (Png, "image/png", "现场.png")))
        {
            wrongOutlet.Add(new StringContent("QHXN0020001"), "mn"); // a second mn part: the last one counts, another enterprise's outlet
            Assert.Equal(HttpStatusCode.Forbidden, (await FileAsync(wrongOutlet)).Status);
        }

        Assert.Equal(0, FilesKept());

        // The mark with two good files: one request, one pending mark carrying both.
        using (var good = Form("更换采样探头", (Png, "image/png", "现场.png"), (Encoding.ASCII.GetBytes("%PDF-1.4 minimal"), "application/pdf", "报告.pdf")))
        {
            var (status, mark) = await FileAsync(good);
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.Equal("pending", mark.GetProperty("state").GetString());
            Assert.Equal(["现场.png", "报告.pdf"], mark.GetProperty("evidence").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            var href = mark.GetProperty("evidence")[0].GetProperty("href").GetString()!;
            Assert.Equal(Png, await op.GetByteArrayAsync(href));
        }

        Assert.Equal(2, FilesKept());

        // More files than Api:MaxEvidenceFiles (2) in one form: refused whole.
        using (var many = Form("三个文件", (Png, "image/png", "1.png"), (Png, "image/png", "2.png"), (Png, "image/png", "3.png")))
        {
            Assert.Equal(HttpStatusCode.Conflict, (await FileAsync(many)).Status);
        }

        Assert.Equal(2, FilesKept());
        Assert.Single((await op.GetFromJsonAsync<JsonElement>("/api/marks")).EnumerateArray());
    }
}
