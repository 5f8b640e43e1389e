from tools.bench.cli import main

raise SystemExit(main())
