"""``python -m jianbao_nlp`` runs the CLI."""
from .cli import main

main()
