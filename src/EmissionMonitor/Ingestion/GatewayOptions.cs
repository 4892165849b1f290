using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Ingestion;

/// <summary>The HJ 212 TCP gateway (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Bind address.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>Port (9212; 0 disables the gateway).</summary>
    [Range(0, 65535, ErrorMessage = "Gateway:Port must be between 0 and 65535")]
    public int Port { get; set; } = 9212;

    /// <summary>A connection with no bytes for this long is closed. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Gateway:IdleTimeout must be between 1 s and 1 day")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Connections beyond this are refused. Default 10000.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Gateway:MaxConnections must be between 1 and 1000000")]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Connections from one remote address (loopback included). Default 256.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Gateway:MaxConnectionsPerAddress must be between 1 and 1000000")]
    public int MaxConnectionsPerAddress { get; set; } = 256;

    /// <summary>A reply or command not taken by the terminal within this time closes its connection. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Gateway:WriteTimeout must be between 1 s and 10 min")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames of one connection read ahead of their replies (a terminal that does not read its replies is held here). Default 256.</summary>
    [Range(1, 65536, ErrorMessage = "Gateway:MaxPipelined must be between 1 and 65536")]
    public int MaxPipelined { get; set; } = 256;

    /// <summary>A terminal on MQTT counts as reachable for commands when its last accepted frame is this recent. Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Gateway:CommandPresence must be between 1 s and 7 days")]
    public TimeSpan CommandPresence { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A command without its QnRtn is resent after this (HJ 212-2017 表1 OverTime). Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00", ErrorMessage = "Gateway:CommandOverTime must be between 0.1 s and 10 min")]
    public TimeSpan CommandOverTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Resends of a command without its QnRtn (表1 ReCount); after acceptance its ExeRtn is awaited OverTime × ReCount. Default 3.</summary>
    [Range(1, 99, ErrorMessage = "Gateway:CommandReCount must be between 1 and 99")]
    public int CommandReCount { get; set; } = 3;

    /// <summary>Commands waiting behind the running one, per terminal. Default 16.</summary>
    [Range(0, 1000, ErrorMessage = "Gateway:CommandQueue must be between 0 and 1000")]
    public int CommandQueue { get; set; } = 16;

    /// <summary>A terminal clock off by more than this (the QN of its frames against their arrival) raises a clock-drift alert. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Gateway:ClockAlert must be between 1 s and 1 day")]
    public TimeSpan ClockAlert { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Send set-time to a drifting terminal on its own (at most once an hour per terminal). Default false.</summary>
    public bool AutoSetTime { get; set; }

    /// <summary>A terminal's 1013 time-calibration requests are answered with a 1012 at most once per this time. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Gateway:TimeAnswerInterval must be between 0 and 1 day")]
    public TimeSpan TimeAnswerInterval { get; set; } = TimeSpan.FromMinutes(1);
}
