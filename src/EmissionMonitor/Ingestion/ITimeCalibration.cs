using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// The host's answer to a terminal's time-calibration request (CN 1013): after the 9013, a set-time
/// command with the service's clock, or null when none is due. Ingestion owns the question; the
/// commands to terminals answer it.
/// </summary>
public interface ITimeCalibration
{
    Hj212Packet? Answer(Outlet outlet, Hj212Packet request, Transport transport);
}
