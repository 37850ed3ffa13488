[assembly: Parallelize(Scope = ExecutionScope.MethodLevel, Workers = 0)]
