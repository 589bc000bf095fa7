using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>Writes an X.509 v3 certificate (RFC 5280 §4.1) and has the CA sign it, returning the DER without loading it
/// into a platform certificate object: OpenSSL 3 decodes a loaded certificate's public key through its provider
/// decoders, which cost more than the CA's own signature (bench/README.md, issue 12 third pass). Field for field what
/// <see cref="CertificateRequest.Create(X500DistinguishedName, X509SignatureGenerator, DateTimeOffset, DateTimeOffset, ReadOnlySpan{byte})"/>
/// writes; a test holds the two to the same bytes.</summary>
internal static class CertificateDer
{
    private static readonly Asn1Tag Version = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Extensions = new(TagClass.ContextSpecific, 3);

    public static byte[] Sign(X500DistinguishedName issuer, X509SignatureGenerator generator, HashAlgorithmName hashAlgorithm,
        ReadOnlySpan<byte> serialNumber, DateTimeOffset notBefore, DateTimeOffset notAfter, X500DistinguishedName subject,
        PublicKey publicKey, IEnumerable<X509Extension> extensions)
    {
        var algorithm = generator.GetSignatureAlgorithmIdentifier(hashAlgorithm);
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(Version))
            {
                tbs.WriteInteger(2); // v3
            }

            tbs.WriteInteger(serialNumber);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.RawData);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, notBefore);
                WriteTime(tbs, notAfter);
            }

            tbs.WriteEncodedValue(subject.RawData);
            tbs.WriteEncodedValue(publicKey.ExportSubjectPublicKeyInfo());
            using (tbs.PushSequence(Extensions))
            using (tbs.PushSequence())
            {
                foreach (var extension in extensions)
                {
                    using (tbs.PushSequence())
                    {
                        tbs.WriteObjectIdentifier(extension.Oid!.Value!);
                        if (extension.Critical)
                        {
                            tbs.WriteBoolean(true); // DEFAULT FALSE is left out
                        }

                        tbs.WriteOctetString(extension.RawData);
                    }
                }
            }
        }

        var toBeSigned = tbs.Encode();
        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(toBeSigned);
            certificate.WriteEncodedValue(algorithm);
            certificate.WriteBitString(generator.SignData(toBeSigned, hashAlgorithm));
        }

        return certificate.Encode();
    }

    /// <summary>Whole seconds, UTC: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        var utc = Truncate(time);
        if (utc.Year is >= 1950 and < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }
}
