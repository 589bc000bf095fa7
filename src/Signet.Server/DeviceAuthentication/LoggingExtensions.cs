namespace Signet.Server.DeviceAuthentication;

internal static partial class LoggingExtensions
{
    [LoggerMessage(1, LogLevel.Information, "Refused agent request for device {Udid}: {Problem} ({Detail}).")]
    public static partial void RequestRefused(this ILogger logger, string? udid, string problem, string? detail);

    [LoggerMessage(2, LogLevel.Debug, "Served unsigned agent request for computer {ComputerId}: signature outcome {Problem} ({Detail}).")]
    public static partial void ServedWithoutValidSignature(this ILogger logger, string computerId, string problem, string? detail);

    [LoggerMessage(3, LogLevel.Warning, "Refused agent request: body larger than {Limit} bytes.")]
    public static partial void BodyTooLarge(this ILogger logger, int limit);

    [LoggerMessage(4, LogLevel.Warning, "Nonce store is full ({Capacity}); refusing until nonces expire.")]
    public static partial void NonceStoreFull(this ILogger logger, int capacity);

    [LoggerMessage(5, LogLevel.Error, "Writing device activity failed; it will be retried.")]
    public static partial void ActivityFlushFailed(this ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Replay cache unavailable: agent request for device {Udid} {Action}.")]
    public static partial void ReplayCacheUnavailable(this ILogger logger, string? udid, string action);

    [LoggerMessage(6, LogLevel.Warning, "Recording the first use of renewed certificate {KeyId} failed; the next request retries it.")]
    public static partial void ActivationFailed(this ILogger logger, string keyId, Exception exception);
}
