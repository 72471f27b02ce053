using System.Text;
using System.Text.Unicode;

namespace HealthcareOrleans.Client.Output;

/// <summary>
/// A binary column (Bronze's payload) as a person or a script can read it: the text itself when the bytes are valid
/// UTF-8 text, otherwise <c>base64:</c> and the bytes in base64, so which one it is can always be told.
/// </summary>
public static class PayloadText
{
    public const string Base64Prefix = "base64:";

    public static string Of(byte[] bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            var text = Encoding.UTF8.GetString(bytes);
            if (!text.StartsWith(Base64Prefix, StringComparison.Ordinal) && !text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
            {
                return text;
            }
        }

        return Base64Prefix + Convert.ToBase64String(bytes);
    }
}
