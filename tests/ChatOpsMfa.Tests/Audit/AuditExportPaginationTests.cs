using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>Pages follow each other by row id: every row exactly once, in order, with no empty last page.</summary>
public class AuditExportPaginationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(23, 5)]
    [InlineData(25, 5)]
    [InlineData(3, 100)]
    [InlineData(1, 1)]
    public async Task Following_next_visits_every_row_once_in_order(int rows, int limit)
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteManyAsync(host.Store, rows, Ct);
        var client = host.Authorized();

        var seen = new List<long>();
        var pages = 0;
        string? next = null;
        do
        {
            var url = $"/api/audit?limit={limit}" + (next is null ? "" : $"&after={next}");
            var body = JsonNode.Parse(await client.GetStringAsync(url, Ct))!;
            var items = body["items"]!.AsArray();
            Assert.NotEmpty(items);
            Assert.True(items.Count <= limit);
            seen.AddRange(items.Select(i => i!["id"]!.GetValue<long>()));
            next = body["next"]?.GetValue<string>();
            pages++;
        }
        while (next is not null && pages < 100);

        Assert.Equal(Enumerable.Range(1, rows).Select(i => (long)i), seen);
        Assert.Equal((rows + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task Csv_pages_link_to_the_next_page_with_the_same_filters()
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteManyAsync(host.Store, 30, Ct);
        var client = host.Authorized("text/csv");

        var seen = new List<string>();
        string? url = "/api/audit?user=bob&from=2026-01-10T08:03:00Z&to=2026-01-10T08:20:00Z&limit=4";
        var pages = 0;
        while (url is not null && pages++ < 100)
        {
            var response = await client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var records = CsvTestReader.Read(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("id", records[0][0]);
            seen.AddRange(records.Skip(1).Select(r => r[9]));
            url = null;
            if (response.Headers.TryGetValues("Link", out var links))
            {
                var link = Assert.Single(links);
                Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
                url = link[1..link.IndexOf('>', StringComparison.Ordinal)];
                Assert.Contains("user=bob", url, StringComparison.Ordinal);
                Assert.Contains("limit=4", url, StringComparison.Ordinal);
                var cursor = Assert.Single(response.Headers.GetValues("X-Next-Cursor"));
                Assert.Contains("after=" + cursor, url, StringComparison.Ordinal);
            }
        }

        // Notes 3 to 19 are bob's and fall in [08:03, 08:20): 17 rows in 5 pages.
        Assert.Equal(Enumerable.Range(3, 17).Select(i => $"note {i}"), seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task Rows_written_between_pages_appear_on_a_later_page_not_as_duplicates()
    {
        using var host = new AuditHost(AuditHost.Key);
        var requests = await AuditSeed.WriteAsync(host.Store, Ct);
        var client = host.Authorized();

        var first = JsonNode.Parse(await client.GetStringAsync("/api/audit?limit=3", Ct))!;
        await host.Store.AuditAsync(requests[0], new ChatOpsMfa.Storage.AuditNote("bob", "Bob Helper", "Late"), AuditSeed.T0.AddDays(2), Ct);
        var second = JsonNode.Parse(await client.GetStringAsync("/api/audit?limit=3&after=" + first["next"]!.GetValue<string>(), Ct))!;

        var ids = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => i!["id"]!.GetValue<long>());
        Assert.Equal([1L, 2, 3, 4, 5, 6], ids);
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task The_last_page_has_no_link()
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var response = await host.Authorized("text/csv").GetAsync("/api/audit?limit=5", Ct);

        Assert.False(response.Headers.Contains("Link"));
        Assert.False(response.Headers.Contains("X-Next-Cursor"));
    }
}
