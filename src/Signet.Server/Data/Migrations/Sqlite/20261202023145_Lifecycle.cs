using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Signet.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Lifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Computers_Udid",
                table: "Computers");

            migrationBuilder.AddColumn<string>(
                name: "Reenrollment",
                table: "SecuritySettings",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "approval");

            migrationBuilder.AddColumn<string>(
                name: "PublicKeySha256",
                table: "IssuedCertificates",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ComputerId",
                table: "Invitations",
                type: "TEXT",
                maxLength: 36,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeletedAt",
                table: "Computers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastContactAddress",
                table: "Computers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EnrollmentRequests",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ComputerId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Udid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", maxLength: 4096, nullable: false),
                    PublicKeySha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Hostname = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    OsName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    OsVersion = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    SourceAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InvitationId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    IssuedThumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnrollmentRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EnrollmentRequests_Computers_ComputerId",
                        column: x => x.ComputerId,
                        principalTable: "Computers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IssuedCertificates_ComputerId_PublicKeySha256",
                table: "IssuedCertificates",
                columns: new[] { "ComputerId", "PublicKeySha256" });

            migrationBuilder.CreateIndex(
                name: "IX_Computers_Udid",
                table: "Computers",
                column: "Udid",
                unique: true,
                filter: "\"DeletedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_EnrollmentRequests_ComputerId",
                table: "EnrollmentRequests",
                column: "ComputerId");

            migrationBuilder.CreateIndex(
                name: "IX_EnrollmentRequests_Status_ExpiresAt",
                table: "EnrollmentRequests",
                columns: new[] { "Status", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EnrollmentRequests_Udid_PublicKeySha256",
                table: "EnrollmentRequests",
                columns: new[] { "Udid", "PublicKeySha256" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EnrollmentRequests");

            migrationBuilder.DropIndex(
                name: "IX_IssuedCertificates_ComputerId_PublicKeySha256",
                table: "IssuedCertificates");

            migrationBuilder.DropIndex(
                name: "IX_Computers_Udid",
                table: "Computers");

            migrationBuilder.DropColumn(
                name: "Reenrollment",
                table: "SecuritySettings");

            migrationBuilder.DropColumn(
                name: "PublicKeySha256",
                table: "IssuedCertificates");

            migrationBuilder.DropColumn(
                name: "ComputerId",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "Computers");

            migrationBuilder.DropColumn(
                name: "LastContactAddress",
                table: "Computers");

            migrationBuilder.CreateIndex(
                name: "IX_Computers_Udid",
                table: "Computers",
                column: "Udid",
                unique: true);
        }
    }
}
