using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Signet.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyProtection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "RequireHardwareKeys",
                table: "SecuritySettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "KeyProtection",
                table: "IssuedCertificates",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyToken",
                table: "IssuedCertificates",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyProtection",
                table: "EnrollmentRequests",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyToken",
                table: "EnrollmentRequests",
                type: "TEXT",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RequireHardwareKeys",
                table: "SecuritySettings");

            migrationBuilder.DropColumn(
                name: "KeyProtection",
                table: "IssuedCertificates");

            migrationBuilder.DropColumn(
                name: "KeyToken",
                table: "IssuedCertificates");

            migrationBuilder.DropColumn(
                name: "KeyProtection",
                table: "EnrollmentRequests");

            migrationBuilder.DropColumn(
                name: "KeyToken",
                table: "EnrollmentRequests");
        }
    }
}
