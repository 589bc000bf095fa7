using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace Signet.Bench.Load;

/// <summary>Fills a stopped server's SQLite database with enrolled-looking computers and their current
/// certificates, inserted directly with SQL in big transactions: enrolling a million computers through the API
/// would take hours of CA signatures. The fillers share one dummy certificate DER (they never send a request);
/// each has its own UDID, serial number and thumbprint so every index is as large as in a real fleet.</summary>
internal static class BulkSeeder
{
    private const int RowsPerTransaction = 50_000;

    public static void Seed(string databasePath, int computers)
    {
        var der = DummyCertificate();
        var now = DateTimeOffset.UtcNow;
        var enrolledAt = Encode(now.AddDays(-30));
        var notBefore = Encode(now.AddDays(-30));
        var notAfter = Encode(now.AddDays(335));
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA synchronous=OFF;");

        using var computer = connection.CreateCommand();
        computer.CommandText = """
            INSERT INTO Computers (Id, Udid, SerialNumber, Hostname, Model, OsName, OsVersion, EnrolledAt, LastContactAt, Version)
            VALUES ($id, $udid, $serial, $hostname, 'Mac14,2', 'macOS', '15.1', $enrolledAt, $enrolledAt, $version)
            """;
        var computerId = computer.Parameters.Add("$id", SqliteType.Text);
        var udid = computer.Parameters.Add("$udid", SqliteType.Text);
        var serial = computer.Parameters.Add("$serial", SqliteType.Text);
        var hostname = computer.Parameters.Add("$hostname", SqliteType.Text);
        computer.Parameters.AddWithValue("$enrolledAt", enrolledAt);
        var computerVersion = computer.Parameters.Add("$version", SqliteType.Text);

        using var certificate = connection.CreateCommand();
        certificate.CommandText = """
            INSERT INTO IssuedCertificates (ComputerId, SerialNumber, Thumbprint, Subject, Der, NotBefore, NotAfter, IssuedAt, Status, Version)
            VALUES ($computerId, $serial, $thumbprint, $subject, $der, $notBefore, $notAfter, $notBefore, 0, $version)
            """;
        var certificateComputer = certificate.Parameters.Add("$computerId", SqliteType.Text);
        var certificateSerial = certificate.Parameters.Add("$serial", SqliteType.Text);
        var thumbprint = certificate.Parameters.Add("$thumbprint", SqliteType.Text);
        var subject = certificate.Parameters.Add("$subject", SqliteType.Text);
        certificate.Parameters.AddWithValue("$der", der);
        certificate.Parameters.AddWithValue("$notBefore", notBefore);
        certificate.Parameters.AddWithValue("$notAfter", notAfter);
        var certificateVersion = certificate.Parameters.Add("$version", SqliteType.Text);

        for (var start = 0; start < computers; start += RowsPerTransaction)
        {
            using var transaction = connection.BeginTransaction();
            computer.Transaction = transaction;
            certificate.Transaction = transaction;
            for (var i = start; i < Math.Min(computers, start + RowsPerTransaction); i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{i:D12}");
                var fillerUdid = string.Create(CultureInfo.InvariantCulture, $"FILLER-{i:D12}");
                computerId.Value = id;
                udid.Value = fillerUdid;
                serial.Value = string.Create(CultureInfo.InvariantCulture, $"C02F{i:D10}");
                hostname.Value = string.Create(CultureInfo.InvariantCulture, $"mac-{i:D10}");
                computerVersion.Value = Guid.NewGuid().ToString().ToUpperInvariant();
                computer.ExecuteNonQuery();

                certificateComputer.Value = id;
                certificateSerial.Value = string.Create(CultureInfo.InvariantCulture, $"7F{i:X30}");
                thumbprint.Value = string.Create(CultureInfo.InvariantCulture, $"{i:x64}");
                subject.Value = "CN=" + fillerUdid;
                certificateVersion.Value = Guid.NewGuid().ToString().ToUpperInvariant();
                certificate.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    // EF Core's DateTimeOffsetToBinaryConverter, which the server's SQLite model uses for every instant.
    private static long Encode(DateTimeOffset value) => ((value.UtcTicks / 1000) << 11) | 0;

    private static byte[] DummyCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=filler", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));
        return certificate.RawData;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
