using System.Text;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Intake;
using Microsoft.Extensions.Time.Testing;

namespace EmissionMonitor.Tests.Intake;

public sealed class LoginThrottleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 9, 5, 0, TimeSpan.FromHours(8)));
    private readonly IntakeOptions _options = new() { MaxLoginFailures = 3, LoginLockout = TimeSpan.FromMinutes(1) };

    [Fact]
    public void AfterTheAllowedFailures_ThePairIsLockedForTheLockout_ThenFree()
    {
        var throttle = new LoginThrottle(_options, _clock);
        Assert.False(throttle.Fail("10.0.0.1:5000", "MN1"));
        Assert.False(throttle.Fail("10.0.0.1:5001", "MN1")); // another port of the same address counts
        Assert.False(throttle.IsLocked("10.0.0.1:5002", "MN1"));
        Assert.True(throttle.Fail("10.0.0.1:5003", "MN1"));
        Assert.True(throttle.IsLocked("10.0.0.1:6000", "MN1"));
        Assert.False(throttle.IsLocked("10.0.0.2:6000", "MN1")); // another address
        Assert.False(throttle.IsLocked("10.0.0.1:6000", "MN2")); // another MN
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(throttle.IsLocked("10.0.0.1:6000", "MN1"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(throttle.IsLocked("10.0.0.1:6000", "MN1"));
    }

    [Fact]
    public void FailuresOutsideTheWindow_DoNotAddUp_AndASuccessClearsThem()
    {
        var throttle = new LoginThrottle(_options, _clock);
        throttle.Fail("[::1]:1", "MN1");
        throttle.Fail("[::1]:2", "MN1");
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(throttle.Fail("[::1]:3", "MN1"));
        throttle.Succeed("[::1]:4", "MN1");
        Assert.Equal(0, throttle.Count);
        Assert.False(throttle.Fail("[::1]:5", "MN1"));
        Assert.False(throttle.Fail("[::1]:6", "MN1"));
        Assert.True(throttle.Fail("[::1]:7", "MN1"));
    }

    [Fact]
    public void ZeroFailures_TurnsThrottlingOff()
    {
        var throttle = new LoginThrottle(new IntakeOptions { MaxLoginFailures = 0 }, _clock);
        for (int i = 0; i < 100; i++)
        {
            Assert.False(throttle.Fail("1.2.3.4:5", "MN1"));
        }

        Assert.False(throttle.IsLocked("1.2.3.4:5", "MN1"));
    }

    [Fact]
    public void Intake_RejectsAnMqttFrameForAnotherMnBeforeLookingAtItsPassword()
    {
        var intake = new IntakeProcessor(Some.Registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), _clock,
            new LoginThrottle(_options, _clock));
        var guess = Some.Hourly(mn: "QHXN0020001", pw: "guess").Value("w01018", "Avg", 1m).Build();
        var result = intake.Check(Some.Received(guess, Transport.Mqtt, topicMn: "QHXN0010001", user: "QHXN0010001"), guess);
        Assert.Equal(Reasons.TopicMismatch, result.Rejection);
    }

    [Fact]
    public void Intake_ThrottlesWrongPasswords_OnLiveTransportsOnly()
    {
        var throttle = new LoginThrottle(_options, _clock);
        var intake = new IntakeProcessor(Some.Registry, new IntakeOptions(), new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone(), _clock, throttle);
        var wrong = Some.Hourly(pw: "wrong").Value("a21026", "Avg", 1m).Build();
        var right = Some.Hourly().Value("a21026", "Avg", 1m).Build();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Reasons.BadPassword, intake.Check(Some.Received(wrong), wrong).Rejection);
        }

        Assert.Equal(Reasons.Throttled, intake.Check(Some.Received(right), right).Rejection);
        Assert.True(intake.Check(Some.Received(right, Transport.Import), right).IsAccepted); // an archive import is not a login
    }

    [Fact]
    public void SharedPasswords_AcrossEnterprises_AreFoundByMn()
    {
        string json = Some.RegistryJson.Replace("\"654321\"", "\"123456\"", StringComparison.Ordinal);
        var (registry, problems) = EmissionMonitor.Registry.RegistryLoader.Parse(json, "test");
        Assert.Empty(problems);
        Assert.Equal(["QHXN0010001", "QHXN0020001"], Assert.Single(registry!.SharedPasswords()));
        Assert.Empty(Some.Registry().SharedPasswords());
    }

    [Fact]
    public void AGarbageRun_IsTakenAsOneRejectionWithItsHeadAndByteCount()
    {
        var run = new GarbageRun(1024);
        var input = Encoding.ASCII.GetBytes(new string('x', 40_000) + Some.Hourly().Value("a21026", "Avg", 1m).Build());
        int pieces = 0;
        IntakeResult? taken = null;
        foreach (var chunk in Hj212Framer.Split(input))
        {
            if (run.TryAdd(chunk, _clock.GetUtcNow()))
            {
                pieces++;
            }
            else
            {
                taken = run.Take(Transport.Tcp, "peer");
            }
        }

        Assert.True(pieces >= 3, $"{pieces} pieces"); // the framer reports garbage in pieces of 16 KiB
        Assert.NotNull(taken);
        Assert.Equal(("no-header", 1024), (taken.Rejection, taken.Frame.Raw.Length));
        Assert.StartsWith("40000 bytes before a frame header", taken.Detail, StringComparison.Ordinal);
        Assert.Null(run.Take(Transport.Tcp, "peer"));
    }
}
