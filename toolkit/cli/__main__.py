"""`python -m toolkit.cli …` runs `netkit …` (e.g. `python -X importtime -m toolkit.cli --help` to see the imports)."""

from toolkit.cli import main

if __name__ == "__main__":
    main(prog_name="netkit")
