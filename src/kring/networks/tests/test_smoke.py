import pytest


@pytest.mark.django_db
def test_directory_for_member(client, member, host, network):
    client.force_login(member)
    response = client.get(f"/n/{network.slug}/people/")
    assert response.status_code == 200
    assert "Hanna Host" in response.content.decode()


@pytest.mark.django_db
def test_other_network_member_gets_404(client, other_member, network, host):
    client.force_login(other_member)
    assert client.get(f"/n/{network.slug}/people/").status_code == 404


def test_api_members(api_client, host, member, network):
    response = api_client(member).get(f"/api/v1/networks/{network.slug}/members")
    assert response.status_code == 200
    assert {m["display_name"] for m in response.json()} == {"Hanna Host", "Mila Member"}
    assert all(m["email"] is None for m in response.json())
