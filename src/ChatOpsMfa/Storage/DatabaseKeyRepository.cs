using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Keeps the Data Protection key ring in the bot's database (table <c>data_protection_keys</c>) instead of a folder in
/// the home directory: it survives a redeploy, moves with the database, and several instances on one database share it.
/// Data Protection's interface is synchronous, hence the synchronous connection.
/// </summary>
internal sealed class DatabaseKeyRepository(StorageDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY id";
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)";
        command.With("@name", friendlyName);
        command.With("@xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
