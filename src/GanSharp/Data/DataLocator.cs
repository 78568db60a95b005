namespace GanSharp.Data;

/// <summary>
/// Finds a named dataset on disk and loads it. Folders are searched in this order:
/// <list type="number">
/// <item>the explicit <c>--data DIR</c> argument: DIR/&lt;name&gt;, then DIR itself;</item>
/// <item><c>$GANSHARP_DATA</c>/&lt;name&gt;;</item>
/// <item>the user's cache: <c>$XDG_CACHE_HOME/gansharp/&lt;name&gt;</c>, or <c>~/.cache/gansharp/&lt;name&gt;</c> when XDG_CACHE_HOME is unset;</item>
/// <item>the Debian package location <c>/usr/share/datasets/&lt;name&gt;</c> (e.g. <c>apt-get install dataset-fashion-mnist</c>).</item>
/// </list>
/// The first folder holding the requested split's files wins; when none does, the error lists
/// every place searched and what was missing there.
/// </summary>
/// <remarks>
/// Known names and their files (each IDX file may also be gzipped, with a .gz suffix):
/// mnist and fashion-mnist: train-images-idx3-ubyte + train-labels-idx1-ubyte, and t10k-* for
/// "test"; mnist10k (a 10,000-image MNIST subset, one split, "train"): mnist10k-images-idx3-ubyte +
/// mnist10k-labels-idx1-ubyte; cifar10: data_batch_1.bin ... data_batch_5.bin and test_batch.bin,
/// directly in the folder or in its cifar-10-batches-bin subfolder. Any other name is read as a
/// folder of PNG images (<see cref="ImageFolderReader"/>): its "train" / "test" subfolder when
/// present, otherwise the folder itself for "train".
/// </remarks>
public sealed class DataLocator
{
    public const string EnvironmentVariable = "GANSHARP_DATA";
    public const string DefaultSystemRoot = "/usr/share/datasets";

    /// <summary>Names with a built-in file layout.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["mnist", "fashion-mnist", "cifar10", "mnist10k"];

    private readonly string? _dataDir;
    private readonly Func<string, string?> _environment;
    private readonly string _userProfile;
    private readonly string _systemRoot;

    /// <param name="dataDir">The <c>--data</c> argument, or null.</param>
    /// <param name="environment">Environment lookup (tests inject one); defaults to the process environment.</param>
    /// <param name="userProfile">Home folder; defaults to <see cref="Environment.SpecialFolder.UserProfile"/>.</param>
    /// <param name="systemRoot">Package data root; defaults to /usr/share/datasets.</param>
    public DataLocator(string? dataDir = null, Func<string, string?>? environment = null,
        string? userProfile = null, string? systemRoot = null)
    {
        _dataDir = string.IsNullOrEmpty(dataDir) ? null : dataDir;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _userProfile = userProfile ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        _systemRoot = systemRoot ?? DefaultSystemRoot;
    }

    /// <summary>The training set of <paramref name="name"/>, searching with <paramref name="dataDir"/> first.</summary>
    public static Dataset Load(string name, string? dataDir) => new DataLocator(dataDir).Read(name, "train");

    /// <summary>One split ("train" or "test") of <paramref name="name"/>.</summary>
    public static Dataset LoadSplit(string name, string split, string? dataDir) => new DataLocator(dataDir).Read(name, split);

    /// <summary>The value of <c>--data DIR</c> or <c>--data=DIR</c> in <paramref name="args"/>, or null.</summary>
    public static string? DataDirArgument(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--data=", StringComparison.Ordinal)) return args[i]["--data=".Length..];
            if (args[i] == "--data")
                return i + 1 < args.Count ? args[i + 1] : throw new ArgumentException("--data needs a folder argument.");
        }
        return null;
    }

    /// <summary>The splits <paramref name="name"/> offers.</summary>
    public static IReadOnlyList<string> Splits(string name) => CheckName(name) == "mnist10k" ? ["train"] : ["train", "test"];

    /// <summary>The folders searched for <paramref name="name"/>, in order, each with where it came from.</summary>
    public IReadOnlyList<(string Folder, string Origin)> SearchFolders(string name)
    {
        CheckName(name);
        var folders = new List<(string, string)>();
        if (_dataDir is not null)
        {
            folders.Add((Path.Combine(_dataDir, name), "--data"));
            folders.Add((_dataDir, "--data"));
        }
        if (_environment(EnvironmentVariable) is { Length: > 0 } root)
            folders.Add((Path.Combine(root, name), "$" + EnvironmentVariable));
        folders.Add((Path.Combine(CacheRoot(out string origin), "gansharp", name), origin));
        folders.Add((Path.Combine(_systemRoot, name), "system datasets"));
        return folders;
    }

    /// <summary>The first searched folder holding the split's files, or null.</summary>
    public string? FindFolder(string name, string split = "train")
    {
        CheckSplit(name, split);
        return SearchFolders(name).Select(f => f.Folder).FirstOrDefault(folder => Match(name, split, folder, out _) is not null);
    }

    /// <summary>Loads one split; a <see cref="FileNotFoundException"/> lists every place searched when it is nowhere.</summary>
    public Dataset Read(string name, string split = "train")
    {
        CheckSplit(name, split);
        var misses = new List<string>();
        foreach (var (folder, origin) in SearchFolders(name))
        {
            string[]? files = Match(name, split, folder, out string missing);
            if (files is not null) return Load(name, split, files);
            misses.Add($"  {folder} ({origin}): {missing}");
        }
        throw new FileNotFoundException(
            $"Dataset '{name}' ({split} split) was not found. Looked in:{Environment.NewLine}" +
            string.Join(Environment.NewLine, misses) + Environment.NewLine +
            $"Expected {Expected(name, split)}. Put the files in one of these folders, set ${EnvironmentVariable} to a folder holding '{name}/', or pass --data DIR.");
    }

    private static Dataset Load(string name, string split, string[] files)
    {
        string displayName = split == "train" ? name : $"{name}/{split}";
        return name switch
        {
            "mnist" or "fashion-mnist" or "mnist10k" => IdxReader.LoadMnistLike(files[0], files[1], displayName),
            "cifar10" => CifarReader.Load(files, displayName),
            _ => ImageFolderReader.Load(files[0], displayName),
        };
    }

    // The split's files in folder, or null with what is missing.
    private static string[]? Match(string name, string split, string folder, out string missing)
    {
        if (!Directory.Exists(folder))
        {
            missing = "folder does not exist";
            return null;
        }
        switch (name)
        {
            case "mnist" or "fashion-mnist" or "mnist10k":
            {
                string prefix = Prefix(name, split);
                string? images = FindIdx(folder, prefix, "images", 3), labels = FindIdx(folder, prefix, "labels", 1);
                missing = images is null ? $"no {prefix}-images-idx3-ubyte[.gz]" : $"no {prefix}-labels-idx1-ubyte[.gz]";
                return images is not null && labels is not null ? [images, labels] : null;
            }
            case "cifar10":
            {
                string[] names = split == "train" ? [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")] : ["test_batch.bin"];
                foreach (string dir in new[] { folder, Path.Combine(folder, "cifar-10-batches-bin") })
                {
                    string[] paths = [.. names.Select(n => Path.Combine(dir, n))];
                    if (paths.All(File.Exists))
                    {
                        missing = "";
                        return paths;
                    }
                }
                missing = $"no {string.Join(", ", names)} (also looked in cifar-10-batches-bin/)";
                return null;
            }
            default:
            {
                string splitFolder = Path.Combine(folder, split);
                missing = split == "train" ? "" : $"no {split}/ subfolder";
                return Directory.Exists(splitFolder) ? [splitFolder] : split == "train" ? [folder] : null;
            }
        }
    }

    // Both the canonical name and the dotted variant some mirrors use, raw or gzipped.
    private static string? FindIdx(string folder, string prefix, string kind, int rank)
    {
        foreach (string separator in new[] { "-", "." })
            foreach (string suffix in new[] { "", ".gz" })
            {
                string path = Path.Combine(folder, $"{prefix}-{kind}{separator}idx{rank}-ubyte{suffix}");
                if (File.Exists(path)) return path;
            }
        return null;
    }

    private static string Expected(string name, string split) => name switch
    {
        "mnist" or "fashion-mnist" or "mnist10k" =>
            $"{Prefix(name, split)}-images-idx3-ubyte[.gz] and {Prefix(name, split)}-labels-idx1-ubyte[.gz]",
        "cifar10" => split == "train" ? "data_batch_1.bin ... data_batch_5.bin (CIFAR-10 binary version)" : "test_batch.bin (CIFAR-10 binary version)",
        _ => split == "train" ? "a folder of PNG images (or one subfolder per class)" : $"a {split}/ subfolder of PNG images",
    };

    private static string Prefix(string name, string split) => name == "mnist10k" ? "mnist10k" : split == "train" ? "train" : "t10k";

    private string CacheRoot(out string origin)
    {
        // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
        if (_environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            origin = "$XDG_CACHE_HOME";
            return xdg;
        }
        origin = "user cache";
        return Path.Combine(_userProfile, ".cache");
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"Dataset name '{name}' must be a plain folder name (known: {string.Join(", ", KnownNames)}).", nameof(name));
        return name;
    }

    private static void CheckSplit(string name, string split)
    {
        if (!Splits(name).Contains(split))
            throw new ArgumentException($"Dataset '{name}' has no '{split}' split (it has: {string.Join(", ", Splits(name))}).", nameof(split));
    }
}
