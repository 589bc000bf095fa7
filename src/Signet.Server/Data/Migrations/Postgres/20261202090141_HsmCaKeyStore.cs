using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Signet.Server.Data.Migrations.Postgres
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
                type: "bytea",
                maxLength: 16384,
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldMaxLength: 16384);

            migrationBuilder.AddColumn<string>(
                name: "KeyStore",
                table: "CertificateAuthorities",
                type: "character varying(16)",
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
                type: "bytea",
                maxLength: 16384,
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldMaxLength: 16384,
                oldNullable: true);
        }
    }
}
