using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Storage;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// The Teams member and serviceUrl maps, shared by every instance through the database: the same answers on both
/// providers, with addresses compared without case and one column at a time.
/// </summary>
public class TeamsDirectoryStoreTests
{
    private const string Tenant = "0e0e0000-0000-4000-8000-000000000000";
    private const string OtherTenant = "0f0f0000-0000-4000-8000-000000000000";

    private static readonly TeamsMember Alice = new("29:alice", "Alice Example", "Alice@Example.com", "alice.upn@example.com", "aad-alice", Tenant);
    private static readonly TeamsMember NoAad = new("29:nobody", null, "nobody@example.com", null, null, Tenant);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_member_is_found_by_tenant_and_id_only_if_learnt_since_the_time_asked(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new TeamsDirectoryStore(db.Database);

        await store.SaveMembersAsync(Tenant, [Alice, NoAad], Now, Ct);

        Assert.Equal(Alice, await store.FindMemberAsync(Tenant, "29:alice", Now.AddMinutes(-1), Ct));
        Assert.Equal(Alice, await store.FindMemberAsync(Tenant, "29:alice", Now, Ct));
        Assert.Null(await store.FindMemberAsync(Tenant, "29:alice", Now.AddTicks(1), Ct));
        Assert.Null(await store.FindMemberAsync(OtherTenant, "29:alice", Now.AddMinutes(-1), Ct));
        Assert.Equal(NoAad, await store.FindMemberAsync(Tenant, "29:nobody", Now, Ct)); // its nulls stay nulls
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Saving_a_member_again_replaces_what_was_known(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new TeamsDirectoryStore(db.Database);
        await store.SaveMembersAsync(Tenant, [Alice], Now, Ct);

        var renamed = Alice with { Email = null, Name = "Alice Renamed" };
        await store.SaveMembersAsync(Tenant, [renamed], Now.AddMinutes(5), Ct);

        Assert.Equal(renamed, await store.FindMemberAsync(Tenant, "29:alice", Now.AddMinutes(5), Ct));
        Assert.Null(await store.FindMemberByUserAsync("alice@example.com", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_member_is_found_by_object_id_email_or_upn_whatever_the_case(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new TeamsDirectoryStore(db.Database);
        await store.SaveMembersAsync(Tenant, [Alice, NoAad], Now, Ct);

        Assert.Equal(Alice, await store.FindMemberByUserAsync("AAD-ALICE", Ct));
        Assert.Equal(Alice, await store.FindMemberByUserAsync("alice@EXAMPLE.com", Ct));
        Assert.Equal(Alice, await store.FindMemberByUserAsync("Alice.UPN@example.com", Ct));
        Assert.Null(await store.FindMemberByUserAsync("mallory@example.com", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_most_recently_seen_member_with_an_address_wins(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new TeamsDirectoryStore(db.Database);
        var older = new TeamsMember("29:old", "Old Account", "shared@example.com", null, "aad-old", Tenant);
        var newer = new TeamsMember("29:new", "New Account", "shared@example.com", null, "aad-new", Tenant);
        await store.SaveMembersAsync(Tenant, [newer], Now.AddHours(1), Ct);
        await store.SaveMembersAsync(Tenant, [older], Now, Ct);

        Assert.Equal(newer, await store.FindMemberByUserAsync("shared@example.com", Ct));
        Assert.Equal(newer, await store.FindMemberInTenantAsync(Tenant, MemberKey.Email, "SHARED@example.com", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_lookup_in_a_tenant_compares_only_the_column_asked_and_only_in_that_tenant(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new TeamsDirectoryStore(db.Database);
        await store.SaveMembersAsync(Tenant, [Alice], Now, Ct);

        Assert.Equal(Alice, await store.FindMemberInTenantAsync(Tenant.ToUpperInvariant(), MemberKey.AadObjectId, "aad-alice", Ct));
        Assert.Equal(Alice, await store.FindMemberInTenantAsync(Tenant, MemberKey.UserPrincipalName, "ALICE.upn@example.com", Ct));
        Assert.Null(await store.FindMemberInTenantAsync(Tenant, MemberKey.Email, "alice.upn@example.com", Ct)); // a UPN is not an email
        Assert.Null(await store.FindMemberInTenantAsync(Tenant, MemberKey.UserPrincipalName, "alice@example.com", Ct));
        Assert.Null(await store.FindMemberInTenantAsync(OtherTenant, MemberKey.Email, "alice@example.com", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_conversation_service_url_is_kept_per_tenant_and_the_latest_wins(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new TeamsDirectoryStore(db.Database);

        await store.SaveServiceUrlAsync(Tenant, "19:support", new Uri("https://smba.trafficmanager.net/emea/"), Now, Ct);
        await store.SaveServiceUrlAsync(Tenant, "19:support", new Uri("https://smba.trafficmanager.net/amer/"), Now.AddMinutes(1), Ct);

        Assert.Equal(new Uri("https://smba.trafficmanager.net/amer/"), await store.FindServiceUrlAsync(Tenant, "19:support", Ct));
        Assert.Null(await store.FindServiceUrlAsync(OtherTenant, "19:support", Ct));
        Assert.Null(await store.FindServiceUrlAsync(Tenant, "19:other", Ct));
    }
}
