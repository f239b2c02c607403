using System.Text;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>A run of text, or the inside of one <c>{{ }}</c> action, with the line it starts on.</summary>
internal sealed record TemplatePiece(bool IsAction, string Text, int Line);

/// <summary>One token inside an action. <see cref="Attached"/>: no space before it (so <c>$x.a</c> is one term).</summary>
internal sealed record TemplateToken(TokenKind Kind, string Text, bool Attached);

internal enum TokenKind
{
    Identifier,
    Field,
    Dot,
    Variable,
    String,
    Number,
    LeftParen,
    RightParen,
    Pipe,
    Declare,
    Assign,
    Comma,
}

/// <summary>
/// Go text/template's lexical rules: <c>{{- </c> trims the whitespace before an action, <c> -}}</c> the whitespace after
/// (the dash needs a space on its inner side, else it is a minus sign), and <c>{{/* */}}</c> is a comment.
/// </summary>
internal static class TemplateLexer
{
    public static List<TemplatePiece> Split(string source, string name)
    {
        var pieces = new List<TemplatePiece>();
        int pos = 0, line = 1;
        bool trimNext = false;
        while (pos < source.Length)
        {
            int open = source.IndexOf("{{", pos, StringComparison.Ordinal);
            string text = open < 0 ? source[pos..] : source[pos..open];
            if (trimNext)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }

            bool trimBefore = open >= 0 && open + 3 < source.Length && source[open + 2] == '-' && IsSpace(source[open + 3]);
            if (trimBefore)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (text.Length > 0)
            {
                pieces.Add(new TemplatePiece(false, text, line));
            }

            line += Count(source, pos, open < 0 ? source.Length : open);
            if (open < 0)
            {
                break;
            }

            int start = open + (trimBefore ? 3 : 2);
            int close = source.IndexOf("}}", start, StringComparison.Ordinal);
            while (close >= 0 && InsideQuotes(source, start, close))
            {
                close = source.IndexOf("}}", close + 2, StringComparison.Ordinal);
            }

            if (close < 0)
            {
                throw new TemplateException($"template: {name}:{line}: unclosed action");
            }

            bool trimAfter = close - 2 >= start && source[close - 1] == '-' && IsSpace(source[close - 2]);
            string inside = source[start..(trimAfter ? close - 1 : close)].Trim();
            if (!(inside.StartsWith("/*", StringComparison.Ordinal) && inside.EndsWith("*/", StringComparison.Ordinal)))
            {
                pieces.Add(new TemplatePiece(true, inside, line));
            }

            line += Count(source, open, close);
            trimNext = trimAfter;
            pos = close + 2;
        }

        return pieces;
    }

    public static List<TemplateToken> Tokens(string action, string where)
    {
        var tokens = new List<TemplateToken>();
        int i = 0;
        while (i < action.Length)
        {
            char c = action[i];
            bool attached = i > 0 && !IsSpace(action[i - 1]);
            if (IsSpace(c))
            {
                i++;
            }
            else if (c == '"' || c == '`')
            {
                string value = c == '"' ? Quoted(action, ref i, where) : Raw(action, ref i, where);
                tokens.Add(new TemplateToken(TokenKind.String, value, attached));
            }
            else if (c == '.' && i + 1 < action.Length && IsIdentStart(action[i + 1]))
            {
                int start = ++i;
                while (i < action.Length && IsIdentPart(action[i]))
                {
                    i++;
                }

                tokens.Add(new TemplateToken(TokenKind.Field, action[start..i], attached));
            }
            else if (c == '.')
            {
                tokens.Add(new TemplateToken(TokenKind.Dot, ".", attached));
                i++;
            }
            else if (c == '$')
            {
                int start = i++;
                while (i < action.Length && IsIdentPart(action[i]))
                {
                    i++;
                }

                tokens.Add(new TemplateToken(TokenKind.Variable, action[start..i], attached));
            }
            else if (char.IsDigit(c) || ((c == '-' || c == '+') && i + 1 < action.Length && char.IsDigit(action[i + 1])))
            {
                int start = i++;
                while (i < action.Length && (char.IsLetterOrDigit(action[i]) || action[i] is '.' or '_' || (action[i] is '-' or '+' && action[i - 1] is 'e' or 'E')))
                {
                    i++;
                }

                tokens.Add(new TemplateToken(TokenKind.Number, action[start..i], attached));
            }
            else if (IsIdentStart(c))
            {
                int start = i;
                while (i < action.Length && IsIdentPart(action[i]))
                {
                    i++;
                }

                tokens.Add(new TemplateToken(TokenKind.Identifier, action[start..i], attached));
            }
            else if (c == ':' && i + 1 < action.Length && action[i + 1] == '=')
            {
                tokens.Add(new TemplateToken(TokenKind.Declare, ":=", attached));
                i += 2;
            }
            else
            {
                var kind = c switch
                {
                    '(' => TokenKind.LeftParen,
                    ')' => TokenKind.RightParen,
                    '|' => TokenKind.Pipe,
                    '=' => TokenKind.Assign,
                    ',' => TokenKind.Comma,
                    _ => throw new TemplateException($"template: {where}: unexpected '{c}' in action \"{action}\""),
                };
                tokens.Add(new TemplateToken(kind, c.ToString(), attached));
                i++;
            }
        }

        return tokens;
    }

    private static string Quoted(string s, ref int i, string where)
    {
        var value = new StringBuilder();
        for (i++; i < s.Length && s[i] != '"'; i++)
        {
            if (s[i] != '\\')
            {
                value.Append(s[i]);
                continue;
            }

            char e = s[++i];
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '\\': value.Append('\\'); break;
                case '"': value.Append('"'); break;
                case 'u':
                    value.Append((char)Convert.ToInt32(s.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default: throw new TemplateException($"template: {where}: unsupported escape \\{e}");
            }
        }

        if (i >= s.Length)
        {
            throw new TemplateException($"template: {where}: unterminated quoted string");
        }

        i++;
        return value.ToString();
    }

    private static string Raw(string s, ref int i, string where)
    {
        int end = s.IndexOf('`', i + 1);
        if (end < 0)
        {
            throw new TemplateException($"template: {where}: unterminated raw string");
        }

        string value = s[(i + 1)..end];
        i = end + 1;
        return value;
    }

    /// <summary>True when <paramref name="at"/> falls inside a string literal of the action that starts at <paramref name="start"/>.</summary>
    private static bool InsideQuotes(string s, int start, int at)
    {
        char quote = '\0';
        for (int i = start; i < at; i++)
        {
            if (quote == '\0' && s[i] is '"' or '`')
            {
                quote = s[i];
            }
            else if (quote == '"' && s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == quote)
            {
                quote = '\0';
            }
        }

        return quote != '\0';
    }

    private static int Count(string s, int from, int to)
    {
        int n = 0;
        for (int i = from; i < to; i++)
        {
            if (s[i] == '\n')
            {
                n++;
            }
        }

        return n;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentPart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
