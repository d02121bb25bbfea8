"""Pages for people and dereferenceable IRIs: the site behind `ballkg serve` and `ballkg export --format html`."""
