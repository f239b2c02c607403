using System.Net;
using System.Net.Http.Headers;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>
/// The operator page's users view, on a fleet of its own (its usage column is the last minute, the RPM and TPM window,
/// so it reads traffic sent just before): refused without the admin token, users, limits, usage and key prefixes with it.
/// </summary>
public class OperatorUsersViewTests(OperatorFleetFixture fleet) : IClassFixture<OperatorFleetFixture>
{
    [Fact]
    public async Task UsersView_RefusesWithoutTheAdminToken_AndListsUsersLimitsUsageAndKeyPrefixesWithIt()
    {
        using (var http = new HttpClient { BaseAddress = fleet.Gateway.BaseAddress })
        {
            using var anonymous = await http.GetAsync("/debug/users");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/debug/users");
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
            using var refused = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            // With the token, usage is the limit store's count (what the limits see), this replica's own beside it.
            using var admin = new HttpRequestMessage(HttpMethod.Get, "/debug/users");
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFleetFixture.AdminToken);
            using var answer = await http.SendAsync(admin);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            var bobJson = json.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("name").GetString() == "bob");
            Assert.Equal("store", bobJson.GetProperty("usageSource").GetString());
            Assert.Equal(2, bobJson.GetProperty("requestsInWindow").GetInt64()); // RPM 2: the store admitted exactly two
            Assert.True(bobJson.GetProperty("replicaRequestsInWindow").GetInt64() >= 2);
        }

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(fleet.Gateway.BaseAddress.ToString());
        await page.ClickAsync("#users-load");
        await page.WaitForFunctionAsync("() => document.getElementById('users-error').textContent.includes('401')");
        Assert.False(await page.IsVisibleAsync("#users-table"));

        await page.FillAsync("#admin-token", OperatorFleetFixture.AdminToken);
        await page.ClickAsync("#users-load");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#users-table tbody tr').length === 2");
        var bob = await page.Locator("#users-table tbody tr[data-user=bob] td").AllTextContentsAsync();
        Assert.Equal("bob", bob[0]);
        Assert.Equal("2", bob[1]);
        Assert.True(int.Parse(bob[3], System.Globalization.CultureInfo.InvariantCulture) >= 2, $"bob's requests in the last minute: {bob[3]}");
        Assert.NotEqual("0", bob[5]);
        var alice = await page.Locator("#users-table tbody tr[data-user=alice] td").AllTextContentsAsync();
        Assert.NotEqual("0", alice[4]);
        Assert.Contains("…", alice[6], StringComparison.Ordinal);

        // Key ids and prefixes only: no full key anywhere on the page or in the JSON behind it.
        string content = await page.ContentAsync();
        foreach (var key in fleet.Keys.Values)
        {
            Assert.DoesNotContain(key, content, StringComparison.Ordinal);
        }
    }
}
