using System.IO.Compression;
using System.Text;

namespace EmissionMonitor.TestSupport;

/// <summary>The repository's test data (tests/testdata), found by walking up from the test binaries.</summary>
public static class TestData
{
    public static string Path(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "testdata", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        throw new FileNotFoundException($"tests/testdata/{name} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The rows of a TSV sample file: the frame (with CR LF appended) and the other columns.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<(string, string[])>> SampleCache = new();

    public static IReadOnlyList<(string Frame, string[] Columns)> Samples(string name) =>
        SampleCache.GetOrAdd(name, n => File.ReadAllLines(Path(n), Encoding.UTF8)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(c => (c[0] + "\r\n", c[1..]))
            .ToList());

    private static byte[]? _fieldDay;

    /// <summary>The whole 2016 field day, decompressed.</summary>
    public static byte[] FieldDay()
    {
        if (_fieldDay is null)
        {
            using var gz = new GZipStream(File.OpenRead(Path("field-day-2016-08-24.h212.gz")), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            _fieldDay = ms.ToArray();
        }

        return _fieldDay;
    }
}
