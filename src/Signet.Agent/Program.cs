using System.CommandLine;

var root = new RootCommand("signet: the Signet management agent");
return root.Parse(args).Invoke();
