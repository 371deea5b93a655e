using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace ChatOpsMfa.Storage;

public static class DataProtectionExtensions
{
    /// <summary>The application name every instance shares, whatever folder it runs from.</summary>
    public const string ApplicationName = "ChatOpsMfa";

    /// <summary>
    /// ASP.NET Core Data Protection (it encrypts what waits in the outbox) with its key ring in the database, under a
    /// fixed application name, and encrypted to <c>DataProtection:Certificate</c> when one is configured.
    /// Call after <see cref="StorageExtensions.AddStorage"/>, so the schema exists before the key ring is first read.
    /// </summary>
    public static IHostApplicationBuilder AddDataProtectionKeyRing(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var certificate = KeyRingCertificate.Load(settings);

        // Before AddDataProtection: its hosted service, which loads the key ring at start, must find the first key made.
        builder.Services.AddHostedService<KeyRingBootstrap>();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<StorageDatabase>(
            (options, database) => options.XmlRepository = new DatabaseKeyRepository(database));
        if (certificate is not null)
        {
            // Also registers the certificate for decryption, so no X.509 store is needed to read the keys back.
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        return builder;
    }
}
