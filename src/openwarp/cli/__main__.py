from openwarp.cli.main import run

run()
