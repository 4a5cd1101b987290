"""A small 12-factor Flask app: configuration from the environment, logs to stdout."""
import os

from flask import Flask, render_template

app = Flask(__name__)
app.config["GREETING"] = os.environ.get("FLASK_GREETING", "Hello from a gantry rock")


@app.route("/")
def index():
    return render_template("index.html", greeting=app.config["GREETING"])
