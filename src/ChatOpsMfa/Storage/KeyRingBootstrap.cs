using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Makes the key ring's first key once for the whole cluster. Left to itself, Data Protection makes a key at start
/// when it finds none usable; instances starting together on an empty database each make one and protect with their
/// own, and an instance whose key ring was loaded before another's key existed cannot read what that key protected
/// (Data Protection reloads the ring for an unknown key only in its first two minutes): a key message or a phone
/// number written by one instance would be unreadable on the others. So, before Data Protection first reads the ring
/// (its hosted service starts after this one), the key is made here under a database-wide lock, and the other
/// instances, waiting on that lock, find it and make none.
/// </summary>
internal sealed class KeyRingBootstrap(StorageDatabase database, IKeyManager keys, IOptions<KeyManagementOptions> options, TimeProvider time)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.WithKeyRingLockAsync(() =>
    {
        var now = time.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && now < k.ExpirationDate))
        {
            keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
        }
    }, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
