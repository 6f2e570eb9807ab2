from checks.cli.main import main

raise SystemExit(main())
