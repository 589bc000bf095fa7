using Signet.Protocol.Wire;

namespace Signet.Server.Computers;

/// <summary>Bounds on an inventory document beyond its size, so one computer cannot bloat the database.</summary>
internal static class InventoryValidator
{
    private const int MaxItems = 20_000;

    public static Dictionary<string, string[]> Validate(InventoryDocument document)
    {
        var errors = new Dictionary<string, string[]>();
        if (document.CollectedAt == default)
        {
            errors["collectedAt"] = ["Required."];
        }

        Count(errors, "disks", document.Disks);
        Count(errors, "networkInterfaces", document.NetworkInterfaces);
        Count(errors, "localUsers", document.LocalUsers);
        Count(errors, "applications", document.Applications);
        if (document.Applications?.Any(a => a is null || string.IsNullOrEmpty(a.Name)) == true)
        {
            errors["applications"] = ["Every application needs a name."];
        }

        return errors;
    }

    private static void Count<T>(Dictionary<string, string[]> errors, string field, IReadOnlyList<T>? items)
    {
        if (items is null)
        {
            errors[field] = ["Must be an array (possibly empty)."];
        }
        else if (items.Count > MaxItems)
        {
            errors[field] = [$"At most {MaxItems} items."];
        }
    }
}
