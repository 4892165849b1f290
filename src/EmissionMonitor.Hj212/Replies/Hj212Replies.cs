using System.Globalization;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Packets;

namespace EmissionMonitor.Hj212.Replies;

/// <summary>
/// The interaction frames of DOMAIN.md 1.10: 9011 (QnRtn), 9012 (ExeRtn), 9013 (notification reply),
/// 9014 (data reply), and history requests for back-fill. Replies echo the QN, PW and MN of the
/// frame they answer, use ST=91, and are written in that frame's own version (a 2005 frame gets
/// Flag=0 and its QN where it had one; 2017 Flag=4; 2025 Flag=8).
/// </summary>
public static class Hj212Replies
{
    /// <summary>Command code of a request reply.</summary>
    public const string RequestReplyCn = "9011";

    /// <summary>Command code of an execution result.</summary>
    public const string ExecutionReplyCn = "9012";

    /// <summary>Command code of a notification reply.</summary>
    public const string NotificationReplyCn = "9013";

    /// <summary>Command code of a data reply.</summary>
    public const string DataReplyCn = "9014";

    /// <summary>
    /// The reply a received frame asks for: 9013 to a notification (CN=1013) whose Flag asks for it
    /// (or that has no Flag, as 2005 terminals send it), 9014 to any other upload whose Flag has the
    /// A bit; null when none is due (replies and 90xx frames get none).
    /// </summary>
    public static Hj212Packet? ReplyFor(Hj212Packet frame)
    {
        if (string.Equals(frame.Cn, "1013", StringComparison.Ordinal))
        {
            return frame.Flag is null || frame.NeedsReply ? NotificationReply(frame) : null;
        }

        if (!frame.NeedsReply || frame.Cn is null || frame.Cn.StartsWith('9'))
        {
            return null;
        }

        return DataReply(frame);
    }

    /// <summary>9014: data reply, <c>CP=&amp;&amp;&amp;&amp;</c>.</summary>
    public static Hj212Packet DataReply(Hj212Packet upload) => Reply(upload, DataReplyCn).Build();

    /// <summary>9013: notification reply, <c>CP=&amp;&amp;&amp;&amp;</c>.</summary>
    public static Hj212Packet NotificationReply(Hj212Packet notification) => Reply(notification, NotificationReplyCn).Build();

    /// <summary>9011: request reply with <c>QnRtn</c> (1 ready, 2 rejected, 3 PW error, …).</summary>
    public static Hj212Packet RequestReply(Hj212Packet request, int qnRtn) =>
        Reply(request, RequestReplyCn).Param("QnRtn", qnRtn.ToString(CultureInfo.InvariantCulture)).Build();

    /// <summary>9012: execution result with <c>ExeRtn</c> (1 success, 2 failed, …, 100 no data).</summary>
    public static Hj212Packet ExecutionReply(Hj212Packet request, int exeRtn) =>
        Reply(request, ExecutionReplyCn).Param("ExeRtn", exeRtn.ToString(CultureInfo.InvariantCulture)).Build();

    /// <summary>
    /// A history request (2031 daily, 2051 minute, 2061 hourly; 2041 run time) for
    /// [<paramref name="begin"/>, <paramref name="end"/>], local times, with the A bit set.
    /// </summary>
    public static Hj212Packet HistoryRequest(HistoryRequest request)
    {
        var builder = new Hj212Builder
        {
            Qn = Hj212Time.FormatQn(request.QnTime),
            St = request.St,
            Cn = request.Cn,
            Pw = request.Pw,
            Mn = request.Mn,
            Flag = request.Version.Flag(needsReply: true),
        };
        return builder
            .Param("BeginTime", Hj212Time.Format(request.Begin))
            .Param("EndTime", Hj212Time.Format(request.End))
            .Build();
    }

    private static Hj212Builder Reply(Hj212Packet frame, string cn) => new()
    {
        Qn = frame.Qn,
        St = "91",
        Cn = cn,
        Pw = frame.Pw,
        Mn = frame.Mn,
        Flag = frame.Version.Flag(),
    };
}
