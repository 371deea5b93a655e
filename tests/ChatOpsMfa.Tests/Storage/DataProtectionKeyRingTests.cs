using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// The Data Protection key ring encrypts what waits in the outbox (activation secrets). It must outlive a restart
/// and a move to another machine or folder (it lives in the database, under a fixed application name), and with a
/// certificate configured, a copy of the database alone must not give the keys away.
/// </summary>
public sealed class DataProtectionKeyRingTests : IDisposable
{
    private const string Purpose = "ChatOpsMfa.Tests.KeyRing";
    private const string CertificatePassword = "test-only-pfx-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-keyring-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "keys.db")};Pooling=False";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_key_ring_is_stored_in_the_database()
    {
        using (var host = await StartAsync())
        {
            Protect(host, "hello");
        }

        var rows = await KeyRowsAsync();

        var key = Assert.Single(rows);
        Assert.StartsWith("key-", key.FriendlyName, StringComparison.Ordinal);
        Assert.Contains("<key id=", key.Xml, StringComparison.Ordinal);
        Assert.True(RawDatabaseFiles.Contain(ConnectionString, key.FriendlyName), "the key row should be in the raw database file");
    }

    [Fact]
    public async Task The_application_name_is_fixed_so_another_folder_reads_the_same_payloads()
    {
        string protectedText;
        using (var first = await StartAsync(contentRoot: Directory.CreateDirectory(Path.Combine(_folder, "a")).FullName))
        {
            protectedText = Protect(first, "activation secret");
            Assert.Equal("ChatOpsMfa", first.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        }

        using var second = await StartAsync(contentRoot: Directory.CreateDirectory(Path.Combine(_folder, "b")).FullName);

        Assert.Equal("activation secret", Unprotect(second, protectedText));
    }

    [Fact]
    public async Task A_payload_protected_before_a_restart_is_readable_after_it()
    {
        string protectedText;
        using (var first = await StartAsync())
        {
            protectedText = Protect(first, "activation secret");
        }

        using var second = await StartAsync();

        Assert.Equal("activation secret", Unprotect(second, protectedText));
        Assert.Single(await KeyRowsAsync());
    }

    [Fact]
    public async Task With_a_certificate_the_stored_key_is_encrypted_and_still_readable_after_a_restart()
    {
        var certificate = WriteCertificate("keyring.pfx");
        string protectedText;
        using (var first = await StartAsync(certificate))
        {
            protectedText = Protect(first, "activation secret");
        }

        var key = Assert.Single(await KeyRowsAsync());
        Assert.DoesNotContain("<masterKey", key.Xml, StringComparison.Ordinal);
        Assert.Contains("EncryptedData", key.Xml, StringComparison.Ordinal);
        Assert.False(RawDatabaseFiles.Contain(ConnectionString, "<masterKey"));

        using var second = await StartAsync(certificate);
        Assert.Equal("activation secret", Unprotect(second, protectedText));
    }

    [Fact]
    public async Task Without_the_certificate_an_encrypted_key_ring_cannot_be_read()
    {
        string protectedText;
        using (var first = await StartAsync(WriteCertificate("keyring.pfx")))
        {
            protectedText = Protect(first, "activation secret");
        }

        using var thief = await StartAsync(WriteCertificate("other.pfx"));

        Assert.ThrowsAny<CryptographicException>(() => Unprotect(thief, protectedText));
    }

    [Fact]
    public async Task A_missing_certificate_file_stops_startup_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Path.Combine(_folder, "missing.pfx")));

        Assert.Contains("DataProtection:Certificate:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_startup_without_showing_it()
    {
        var certificate = WriteCertificate("keyring.pfx");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(certificate, password: "wrong-password-value"));

        Assert.Contains("DataProtection:Certificate:Password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_without_its_private_key_stops_startup()
    {
        var path = Path.Combine(_folder, "public-only.cer");
        using (var rsa = RSA.Create(2048))
        {
            using var full = SelfSigned(rsa);
            await File.WriteAllBytesAsync(path, full.Export(X509ContentType.Cert), Ct);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(path, password: ""));

        Assert.Contains("DataProtection:Certificate:Path", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Several instances on one PostgreSQL database (issue 12): whichever instance wrote an outbox payload, every other
    /// one reads it, because the key ring is in the database they share, even when they started at the same moment
    /// on an empty key ring.
    /// </summary>
    [Fact]
    public async Task Two_instances_on_one_PostgreSQL_database_read_each_other_payloads()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.PostgreSQL);
        var folders = new[] { "instance-a", "instance-b" }.Select(n => Directory.CreateDirectory(Path.Combine(_folder, n)).FullName).ToArray();
        var hosts = await Task.WhenAll(folders.Select(f => StartAsync(contentRoot: f, storage: db.Settings)));
        string fromFirst, fromSecond;
        try
        {
            var (first, second) = (hosts[0], hosts[1]);
            fromFirst = Protect(first, "activation secret from the first");
            fromSecond = Protect(second, "activation secret from the second");

            Assert.Equal("activation secret from the first", Unprotect(second, fromFirst));
            Assert.Equal("activation secret from the second", Unprotect(first, fromSecond));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync(Ct);
                host.Dispose();
            }
        }

        // A third instance, started later, reads what the first two wrote, and the key ring stayed in the database.
        using var third = await StartAsync(contentRoot: Directory.CreateDirectory(Path.Combine(_folder, "instance-c")).FullName, storage: db.Settings);
        Assert.Equal("activation secret from the first", Unprotect(third, fromFirst));
        Assert.Equal("activation secret from the second", Unprotect(third, fromSecond));
        Assert.NotEmpty(await KeyRowsAsync(db.Database));
    }

    private async Task<IHost> StartAsync(
        string? certificatePath = null, string? password = CertificatePassword, string? contentRoot = null, IReadOnlyDictionary<string, string?>? storage = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Production",
            ContentRootPath = contentRoot ?? _folder,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOpsMfa"] = ConnectionString,
            ["DataProtection:Certificate:Path"] = certificatePath,
            ["DataProtection:Certificate:Password"] = certificatePath is null ? null : password,
        });
        builder.Configuration.AddInMemoryCollection(storage ?? new Dictionary<string, string?>());
        builder.AddStorage();
        builder.AddDataProtectionKeyRing();
        var host = builder.Build();
        try
        {
            await host.StartAsync(Ct);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private static string Protect(IHost host, string text) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(text);

    private static string Unprotect(IHost host, string text) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(text);

    private Task<List<(string FriendlyName, string Xml)>> KeyRowsAsync() =>
        KeyRowsAsync(new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = ConnectionString })));

    private static async Task<List<(string FriendlyName, string Xml)>> KeyRowsAsync(StorageDatabase database)
    {
        await using var connection = await database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT friendly_name, xml FROM data_protection_keys ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>A fresh self-signed RSA certificate with its private key, as a password-protected PFX file.</summary>
    private string WriteCertificate(string name)
    {
        var path = Path.Combine(_folder, name);
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }

    private static X509Certificate2 SelfSigned(RSA rsa)
    {
        var request = new CertificateRequest("CN=ChatOpsMfa key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}
