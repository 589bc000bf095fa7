using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Signet.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HsmCaKeyStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "EncryptedPrivateKey",
                table: "CertificateAuthorities",
                type: "BLOB",
                maxLength: 16384,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldMaxLength: 16384);

            migrationBuilder.AddColumn<string>(
                name: "KeyStore",
                table: "CertificateAuthorities",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // A CA created before key stores existed has its key in the database.
                defaultValue: "database");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KeyStore",
                table: "CertificateAuthorities");

            migrationBuilder.AlterColumn<byte[]>(
                name: "EncryptedPrivateKey",
                table: "CertificateAuthorities",
                type: "BLOB",
                maxLength: 16384,
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "BLOB",
                oldMaxLength: 16384,
                oldNullable: true);
        }
    }
}
