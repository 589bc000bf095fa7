using Signet.Fuzz;

// signet-fuzz TARGET                   run TARGET under afl-fuzz (fuzz/run starts it so)
// signet-fuzz TARGET --replay PATH...  run each file (or each file in each folder) once; exit 1 on the first failure
// signet-fuzz --write-seeds FOLDER     write the generated seeds (signed requests, CSRs) into FOLDER/<target>/
// signet-fuzz --list                   the targets, one a line
if (args is ["--list"])
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine($"{target.Name}\t{target.Covers}");
    }

    return 0;
}

if (args is ["--write-seeds", var folder])
{
    Seeds.Write(folder);
    return 0;
}

if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } chosen)
{
    Console.Error.WriteLine($"usage: signet-fuzz TARGET [--replay PATH...] | --list | --write-seeds FOLDER; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

if (args.Length > 1 && args[1] == "--replay")
{
    return Replay.Run(chosen, args[2..]);
}

SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    chosen.Run(buffer.ToArray());
});
return 0;
