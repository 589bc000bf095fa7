using System.Diagnostics.Metrics;
using Signet.Server.Audit;

namespace Signet.Server.Observability;

/// <summary>The server's own instruments on the <c>Signet.Server</c> meter; <c>/metrics</c> exports them with the
/// <c>signet_</c> names docs/operations.md lists (dots become underscores, counters get <c>_total</c>, seconds
/// <c>_seconds</c>).</summary>
internal sealed class SignetMetrics
{
    public const string MeterName = "Signet.Server";

    private readonly Counter<long> _agentRequests;
    private readonly Counter<long> _enrollments;
    private readonly Counter<long> _renewals;
    private readonly Counter<long> _revocations;
    private readonly Histogram<double> _databaseDuration;

    public SignetMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _agentRequests = meter.CreateCounter<long>("signet.agent.requests", "{request}",
            "Agent API requests by endpoint, signature outcome (valid, none, or the problem code) and the response's problem code (none when it succeeded).");
        _enrollments = meter.CreateCounter<long>("signet.enrollments", "{enrollment}",
            "Enrollments by result: completed (a certificate was issued, at once or on approval), held for approval, or refused (with the problem code).");
        _renewals = meter.CreateCounter<long>("signet.renewals", "{renewal}",
            "Renewals by result: requested (a new certificate was issued), completed (it was first used), failed (refused, with the problem code).");
        _revocations = meter.CreateCounter<long>("signet.revocations", "{computer}",
            "Computers whose certificates were revoked, by reason (revoked, deleted).");
        _databaseDuration = meter.CreateHistogram<double>("signet.database.duration", "s",
            "Time the database took to answer the server's commands.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    public void AgentRequest(string endpoint, string signature, string problem) => _agentRequests.Add(1,
        new KeyValuePair<string, object?>("endpoint", endpoint),
        new KeyValuePair<string, object?>("signature", signature),
        new KeyValuePair<string, object?>("problem", problem));

    public void Enrollment(string result, string problem = None) => _enrollments.Add(1,
        new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("problem", problem));

    public void Renewal(string result, string problem = None) => _renewals.Add(1,
        new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("problem", problem));

    public void Revocation(string reason) => _revocations.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts the lifecycle change an audit event records, once the event is saved: every certificate change
    /// is audited with the change itself (docs/lifecycle.md), so the events are the one definition of these counts.</summary>
    public void Audited(string action)
    {
        switch (action)
        {
            case AuditActions.Enrolled or AuditActions.Reenrolled or AuditActions.EnrollmentApproved:
                Enrollment("completed");
                break;
            case AuditActions.EnrollmentHeld:
                Enrollment("held");
                break;
            case AuditActions.Renewed:
                Renewal("requested");
                break;
            case AuditActions.RenewalCompleted:
                Renewal("completed");
                break;
            case AuditActions.Revoked:
                Revocation("revoked");
                break;
            case AuditActions.ComputerDeleted:
                Revocation("deleted");
                break;
        }
    }

    public void DatabaseCommand(TimeSpan duration, bool failed) => _databaseDuration.Record(duration.TotalSeconds,
        new KeyValuePair<string, object?>("outcome", failed ? "error" : "ok"));

    /// <summary>The tag value for "no problem" and "no signature".</summary>
    public const string None = "none";
}
