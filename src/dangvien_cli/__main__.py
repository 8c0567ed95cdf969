from dangvien_cli.cli.app import main

main()
