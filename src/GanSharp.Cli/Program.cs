Console.WriteLine("gansharp");
