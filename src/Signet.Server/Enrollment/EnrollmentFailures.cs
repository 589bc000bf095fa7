using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Signet.Server.Enrollment;

/// <summary>The enrollment limit: failed attempts (wrong invitations, unknown request ids) per client address and
/// minute, per node. Successes and held requests do not count, so many computers behind one address (an office's NAT,
/// a load balancer) enroll freely; and an address past its limit is still served when the request proves itself (a
/// usable invitation, a valid device signature, a real request id), so one guesser cannot block the others behind
/// it. With 128-bit invitation codes the limit is not what keeps guessing hopeless: it keeps a guesser's requests
/// away from the transactions, audit and logs that an evaluated attempt costs.</summary>
internal sealed class EnrollmentFailures : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public EnrollmentFailures(IOptions<EnrollmentOptions> options)
    {
        var limit = options.Value.PermitsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Null while <paramref name="address"/> is within its limit; otherwise how long until it is again.</summary>
    public TimeSpan? Exhausted(string address)
    {
        // Asking for no permit reports the window's state without using any.
        using var lease = _failures.AttemptAcquire(address, 0);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    /// <summary>Counts one failed attempt against <paramref name="address"/>.</summary>
    public void Record(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}
